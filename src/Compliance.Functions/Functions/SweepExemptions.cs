using Compliance.Core.Exemptions;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Functions;

/// <summary>
/// The exemption timer: at each occurrence of <c>Compliance__Exemptions__SweepSchedule</c> (NCRONTAB with seconds, UTC;
/// every 5 minutes as deployed) it records the exemptions that expired, re-applies their scopes so the action is
/// notified again, and queues and delivers the <c>Compliance.ExemptionExpiring</c> notices.
/// </summary>
public sealed class SweepExemptions(ExemptionSweep sweep)
{
    /// <summary>The function.</summary>
    [Function(nameof(SweepExemptions))]
    public Task RunAsync(
        [TimerTrigger("%Compliance__Exemptions__SweepSchedule%", UseMonitor = true)] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return sweep.RunAsync(cancellationToken);
    }
}
