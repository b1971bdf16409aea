using System.Text.Json;
using Azure.Storage.Queues.Models;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Functions;

/// <summary>
/// The batch queue's trigger: runs one batch of a scan (its guest checks, verdicts and notifications) and, with the
/// last batch, ends the scan. A failure fails the invocation, so the host delivers the message again; on the last
/// delivery (<c>maxDequeueCount</c>, which <c>Compliance__Queue__MaxDequeueCount</c> mirrors) the batch is recorded as
/// given up first, so its scan can still end while the message goes to the poison queue.
/// </summary>
public sealed class CheckMachines(ScanPipeline pipeline, IOptions<ScanQueueOptions> queue, ILogger<CheckMachines> logger)
{
    /// <summary>The function.</summary>
    [Function(nameof(CheckMachines))]
    public async Task RunAsync(
        [QueueTrigger("%Compliance__Queue__QueueName%", Connection = "AzureWebJobsStorage")] QueueMessage message,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ScanBatch batch;
        try
        {
            batch = ScanBatchJson.Deserialize(QueueMessageText.Decode(message.Body.ToString()));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            // Not a batch: the host retries it and then moves it to the poison queue, where it can be read.
            WorkerLog.NotABatch(logger, message.MessageId, message.DequeueCount, ex.Message);
            throw;
        }

        BatchOutcome outcome;
        try
        {
            outcome = await pipeline.RunBatchAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && message.DequeueCount >= queue.Value.MaxDequeueCount)
        {
            await pipeline.AbandonBatchAsync(batch, ComplianceScanner.Describe(ex), cancellationToken).ConfigureAwait(false);
            throw;
        }

        WorkerLog.BatchDone(logger, batch.ScanId, batch.Index + 1, batch.Count, outcome.Recorded.Recorded, outcome.Recorded.Stale, outcome.FinishedScan);
    }
}
