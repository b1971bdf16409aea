using Compliance.Core.Scanning;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

/// <summary>
/// The timer: at each occurrence of <c>Compliance__Scan__Schedule</c> (NCRONTAB with seconds, UTC) it prunes old
/// records, ends scans a failed run left behind, and plans a scan of the configured scope unless a scan is still running
/// (then the occurrence is skipped and logged); the host writes the scan's
/// batches to the batch queue (the return value), where <see cref="CheckMachines"/> runs them.
/// </summary>
public sealed class ScheduledScan(ScanPipeline pipeline, ILogger<ScheduledScan> logger)
{
    /// <summary>The function.</summary>
    [Function(nameof(ScheduledScan))]
    [QueueOutput("%Compliance__Queue__QueueName%", Connection = "AzureWebJobsStorage")]
    public async Task<string[]> RunAsync(
        [TimerTrigger("%Compliance__Scan__Schedule%", UseMonitor = true)] TimerInfo timer,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        await pipeline.HousekeepAsync(cancellationToken).ConfigureAwait(false);
        var admission = await pipeline.AdmitAsync(ScanRequest.AllSubscriptions, cancellationToken).ConfigureAwait(false);
        if (admission.Kind != ScanAdmissionKind.Admitted)
        {
            // One scan at a time: the running one covers this occurrence; the next occurrence tries again.
            WorkerLog.ScanSkipped(logger, admission.RunningScanId ?? "(being started)", timer.IsPastDue);
            return [];
        }

        var plan = await pipeline.PlanAsync(admission.Request, cancellationToken).ConfigureAwait(false);
        WorkerLog.ScanPlanned(logger, plan.ScanId, plan.Batches.Sum(b => b.Resources.Count), plan.Batches.Count, timer.IsPastDue);
        return [.. plan.Batches.Select(ScanBatchJson.Serialize)];
    }
}
