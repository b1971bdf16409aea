using System.Collections.Concurrent;
using Compliance.Core.Queues;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;

namespace Compliance.Testing;

/// <summary>A scan run through the scan pipeline to its end: its verdicts as judged, in resource-id order, its errors and its record.</summary>
public sealed record PipelineScan(IReadOnlyList<Assessment> Assessments, IReadOnlyList<ReportError> Errors, ScanRecord Scan)
{
    /// <summary>
    /// Runs a scan as every front does: <paramref name="pipeline"/> plans it onto its queue, <paramref name="worker"/>
    /// runs the batches until <paramref name="ledger"/> records the scan as finished; collects what each of its batches judged.
    /// </summary>
    public static async Task<PipelineScan> RunAsync(ScanPipeline pipeline, ScanBatchWorker worker, IScanLedger ledger, ScanRequest request, CancellationToken cancellationToken = default)
    {
        var plan = await pipeline.StartAsync(request, cancellationToken);
        var judged = new ConcurrentBag<Assessment>();
        await worker.RunUntilAsync(
            async token => (await ledger.GetScanAsync(plan.ScanId, token))?.CompletedAt is not null,
            (batch, outcome) =>
            {
                if (batch.ScanId == plan.ScanId)
                {
                    outcome.Assessments.ToList().ForEach(judged.Add);
                }
            },
            cancellationToken);
        var scan = await ledger.GetScanAsync(plan.ScanId, cancellationToken)
            ?? throw new InvalidOperationException($"Scan {plan.ScanId} finished but has no record.");
        return new PipelineScan([.. judged.OrderBy(a => a.ResourceId)], scan.Errors, scan);
    }
}
