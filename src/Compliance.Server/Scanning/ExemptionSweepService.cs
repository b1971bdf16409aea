using Compliance.Core.Exemptions;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Scanning;

/// <summary>
/// When the app runs on its own, the exemption timer's stand-in: every <see cref="ExemptionOptions.SweepInterval"/> it
/// runs <see cref="ExemptionSweep.RunAsync"/> (expiries recorded and re-applied, expiring notices queued and delivered).
/// </summary>
internal sealed class ExemptionSweepService(ExemptionSweep sweep, IOptions<ExemptionOptions> options, TimeProvider timeProvider, ILogger<ExemptionSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await sweep.RunAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Like a timer function: a failed run is logged and the next one tries again.
                ScanQueueLog.ExemptionSweepFailed(logger, ex);
            }

            await Task.Delay(options.Value.SweepInterval, timeProvider, stoppingToken).ConfigureAwait(false);
        }
    }
}
