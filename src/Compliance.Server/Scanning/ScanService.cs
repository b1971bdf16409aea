using Compliance.Core.Queues;
using Compliance.Core.Scanning;

namespace Compliance.Server.Scanning;

/// <summary>
/// When the app runs on its own, the queue trigger's stand-in: first ends the scans a previous run left running with
/// nothing in flight, then runs the batch queue's batches (<see cref="ScanBatchWorker"/>) until the app stops. Batches a
/// killed run left in the queue come back after their visibility timeout and go on where they stopped.
/// </summary>
internal sealed class ScanService(ScanPipeline pipeline, ScanBatchWorker worker, ILogger<ScanService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await pipeline.RecoverAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // The worker looks again whenever it finds the queue empty.
            ScanQueueLog.RecoveryFailed(logger, ex);
        }

        try
        {
            await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: batches under way gave their messages back.
        }
    }
}
