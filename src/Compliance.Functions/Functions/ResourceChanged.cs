using Azure.Storage.Queues.Models;
using Compliance.Server.Events;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>
/// The resource-change queue's trigger: the subscription's Event Grid system topic writes each resource event there
/// (Event Grid schema or CloudEvents, as stored or Base64), and <see cref="ResourceChangeHandler"/> decides what it
/// means: nothing, or a re-check of the resource, scheduled on the re-check queue unless one is pending already
/// (<see cref="RecheckResource"/> runs it and asks ARM; an event alone never removes a verdict). A failure fails the invocation, so the host delivers the message again
/// (handling is idempotent per event id) and, in the end, to the poison queue.
/// </summary>
public sealed class ResourceChanged(ResourceChangeHandler handler, ILogger<ResourceChanged> logger)
{
    /// <summary>The function.</summary>
    [Function(nameof(ResourceChanged))]
    public async Task RunAsync(
        [QueueTrigger("%Compliance__Events__QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await handler.HandleAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            WorkerLog.NotEvents(logger, message.MessageId, message.DequeueCount, ex.Message);
            throw;
        }
    }
}
