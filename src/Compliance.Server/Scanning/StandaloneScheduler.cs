using Compliance.Core.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Scanning;

/// <summary>
/// When the app runs on its own, the timer trigger's stand-in: at each occurrence of <see cref="ScanOptions.Schedule"/>
/// (the same NCRONTAB setting the timer reads) it does what the timer function does: housekeeping, then a scan whose
/// batches go to the batch queue, unless a scan is still running (then this occurrence is skipped and logged).
/// </summary>
internal sealed class StandaloneScheduler(ScanPipeline pipeline, IOptions<ScanOptions> options, TimeProvider timeProvider, ILogger<StandaloneScheduler> logger)
    : BackgroundService
{
    // A timer cannot wait longer than about 49 days, and a yearly schedule must still wake up: the wait goes by days.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = ScanSchedule.Parse(options.Value.Schedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = timeProvider.GetUtcNow();
            if (schedule.GetNextOccurrence(now) is not { } next)
            {
                ScanQueueLog.NoNextOccurrence(logger, schedule.Expression);
                return;
            }

            ScanQueueLog.NextScan(logger, next);
            await WaitUntilAsync(next, stoppingToken).ConfigureAwait(false);
            try
            {
                await pipeline.HousekeepAsync(stoppingToken).ConfigureAwait(false);
                var admission = await pipeline.AdmitAsync(ScanRequest.AllSubscriptions, stoppingToken).ConfigureAwait(false);
                if (admission.Kind == ScanAdmissionKind.Admitted)
                {
                    await pipeline.StartAsync(admission.Request, stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    // One scan at a time: the running one covers this occurrence, as the timer function does.
                    ScanQueueLog.ScheduledScanSkipped(logger, admission.RunningScanId ?? "(being started)");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Like a timer function: a failed run is logged and the next occurrence tries again.
                ScanQueueLog.ScheduledScanFailed(logger, ex);
            }
        }
    }

    private async Task WaitUntilAsync(DateTimeOffset next, CancellationToken cancellationToken)
    {
        for (var left = next - timeProvider.GetUtcNow(); left > TimeSpan.Zero; left = next - timeProvider.GetUtcNow())
        {
            await Task.Delay(left < LongestWait ? left : LongestWait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }
}
