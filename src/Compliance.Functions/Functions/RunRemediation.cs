using Azure.Storage.Queues.Models;
using Compliance.Server.Events;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>
/// The remediation queue's trigger: one message per step of an approved plan (<see cref="RemediationStepHandler"/>).
/// A failure fails the invocation, so the host delivers the message again and, in the end, to the poison queue; a step
/// that finished is never run again. While <c>Compliance__Remediation__Enabled</c> is off, messages are read and
/// dropped without running anything.
/// </summary>
public sealed class RunRemediation(RemediationStepHandler handler, ILogger<RunRemediation> logger)
{
    /// <summary>The function.</summary>
    [Function(nameof(RunRemediation))]
    public async Task RunAsync(
        [QueueTrigger("%Compliance__Remediation__QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await handler.HandleAsync(message.Body.ToString(), cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            WorkerLog.NotARemediationStep(logger, message.MessageId, message.DequeueCount, ex.Message);
            throw;
        }
    }
}
