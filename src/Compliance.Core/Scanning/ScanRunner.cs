using System.Collections.Concurrent;
using System.Globalization;
using Compliance.Core.Inventory;
using Compliance.Core.Queues;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>
/// Runs one scan from start to finish in this process, through the same pipeline as the service (the CLI, with a store
/// or with in-memory drivers): starts it (plan, batches to the queue), runs the queue's batches here until the scan has
/// ended, and makes its report. Batches of other scans that the queue holds run too: a run that died left them, and
/// their scans end with them.
/// </summary>
public sealed class ScanRunner
{
    private readonly ScanPipeline _pipeline;
    private readonly ScanBatchWorker _worker;
    private readonly IScanLedger _ledger;
    private readonly IVerdictStore _verdicts;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a runner.</summary>
    public ScanRunner(ScanPipeline pipeline, ScanBatchWorker worker, IScanLedger ledger, IVerdictStore verdicts, TimeProvider timeProvider)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _worker = worker ?? throw new ArgumentNullException(nameof(worker));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>Runs a scan of <paramref name="request"/>'s scope; <paramref name="progress"/> hears how far it has come.</summary>
    public async Task<ScanResult> RunAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var plan = await _pipeline.StartAsync(request, cancellationToken, progress).ConfigureAwait(false);
        var planned = plan.Batches.SelectMany(b => b.Resources).ToList();
        var judged = new ConcurrentDictionary<string, ReportResource>(StringComparer.OrdinalIgnoreCase);
        var completed = 0;
        progress?.Report(new ScanProgress(planned.Count, 0, InventoryComplete: true));

        await _worker.RunUntilAsync(
            async token => (await _ledger.GetScanAsync(plan.ScanId, token).ConfigureAwait(false))?.CompletedAt is not null,
            (batch, outcome) =>
            {
                if (!string.Equals(batch.ScanId, plan.ScanId, StringComparison.Ordinal))
                {
                    return;
                }

                foreach (var assessment in outcome.Assessments)
                {
                    judged[assessment.ResourceId.Value] = ComplianceReportBuilder.ToResource(assessment);
                }

                progress?.Report(new ScanProgress(planned.Count, Interlocked.Add(ref completed, batch.Resources.Count), InventoryComplete: true));
            },
            cancellationToken).ConfigureAwait(false);

        var scan = await _ledger.GetScanAsync(plan.ScanId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Scan {plan.ScanId} has no record.");

        // Verdicts judged elsewhere (by another worker of the queue, or by a delivery before this process restarted a
        // batch) come from the store, when it holds them under this scan.
        var elsewhere = planned
            .Where(r => !judged.ContainsKey(r.Id.Value) && ResourceKey.IsStorable(r.Id, out _))
            .Select(r => r.Id.Value)
            .ToList();
        if (elsewhere.Count > 0)
        {
            var stored = await _verdicts.GetStatesAsync(elsewhere, cancellationToken).ConfigureAwait(false);
            foreach (var state in stored.Values.Where(s => string.Equals(s.State.ScanId, plan.ScanId, StringComparison.Ordinal)))
            {
                judged[state.State.ResourceId] = state.State.Verdict;
            }
        }

        var resources = judged.Values.OrderBy(r => new ResourceId(r.Id)).ToList();
        var errors = scan.Errors.ToList();
        if (scan.ErrorCount > errors.Count)
        {
            errors.Add(new ReportError("scan", string.Create(CultureInfo.InvariantCulture, $"{scan.ErrorCount - errors.Count} more error(s) not listed; the scan record keeps the first {errors.Count}")));
        }

        var report = new ComplianceReport(
            plan.ScanId,
            scan.StartedAt,
            scan.CompletedAt ?? _timeProvider.GetUtcNow(),
            ComplianceReportBuilder.Summarize(resources),
            resources,
            errors);
        return new ScanResult(report, scan);
    }
}
