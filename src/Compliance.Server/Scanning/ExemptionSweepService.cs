using Compliance.Core.Exemptions;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Scanning;

/// <summary>
/// When the app runs on its own, the exemption timer's stand-in: at each occurrence of
/// <see cref="ExemptionOptions.SweepSchedule"/> (the setting the timer function reads) it runs
/// <see cref="ExemptionSweep.RunAsync"/>: expiries recorded and re-applied, expiring notices queued and delivered.
/// </summary>
internal sealed class ExemptionSweepService(ExemptionSweep sweep, IOptions<ExemptionOptions> options, TimeProvider timeProvider, ILogger<ExemptionSweepService> logger)
    : BackgroundService
{
    // A timer cannot wait longer than about 49 days: the wait goes by days.
    private static readonly TimeSpan LongestWait = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = ScanSchedule.Parse(options.Value.SweepSchedule);
        while (!stoppingToken.IsCancellationRequested)
        {
            if (schedule.GetNextOccurrence(timeProvider.GetUtcNow()) is not { } next)
            {
                return;
            }

            for (var left = next - timeProvider.GetUtcNow(); left > TimeSpan.Zero; left = next - timeProvider.GetUtcNow())
            {
                await Task.Delay(left < LongestWait ? left : LongestWait, timeProvider, stoppingToken).ConfigureAwait(false);
            }

            try
            {
                await sweep.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Like a timer function: a failed run is logged and the next occurrence tries again.
                ScanQueueLog.ExemptionSweepFailed(logger, ex);
            }
        }
    }
}
