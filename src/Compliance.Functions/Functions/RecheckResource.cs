using Azure.Storage.Queues.Models;
using Compliance.Server.Events;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>
/// The re-check queue's trigger: a message becomes visible <c>Compliance__Events__RecheckDelay</c> after the first
/// event of a burst scheduled it (<see cref="ResourceChanged"/>), and <see cref="ResourceRecheckHandler"/> reads the
/// resource from ARM: judged again when it exists, forgotten only on 404. A failure fails the invocation, so the host
/// delivers the message again and, in the end, to the poison queue; nothing is removed on a failure.
/// </summary>
public sealed class RecheckResource(ResourceRecheckHandler handler, ILogger<RecheckResource> logger)
{
    /// <summary>The function.</summary>
    [Function(nameof(RecheckResource))]
    public async Task RunAsync(
        [QueueTrigger("%Compliance__Events__RecheckQueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await handler.HandleAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            WorkerLog.NotARecheck(logger, message.MessageId, message.DequeueCount, ex.Message);
            throw;
        }
    }
}
