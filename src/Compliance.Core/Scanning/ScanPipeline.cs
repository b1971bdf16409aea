using Compliance.Core.Queues;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>
/// The one scan pipeline every front runs: plan (<see cref="ScanPlanner"/>) -> batches on the queue -> check and store
/// each (<see cref="BatchRunner"/>) -> notify and finish (<see cref="ScanFinisher"/>), with the housekeeping that keeps it
/// honest (<see cref="ScanRecovery"/>, <see cref="StoreRetention"/>). Only the drivers of its ports differ: the Functions
/// host's queue bindings or <see cref="IScanBatchQueue"/>, Table Storage or memory.
/// </summary>
public sealed class ScanPipeline
{
    private readonly ScanPlanner _planner;
    private readonly BatchRunner _runner;
    private readonly ScanRecovery _recovery;
    private readonly StoreRetention _retention;
    private readonly IScanBatchQueue _queue;
    private readonly ScanStartGate _gate;

    /// <summary>Creates the pipeline.</summary>
    public ScanPipeline(ScanPlanner planner, BatchRunner runner, ScanRecovery recovery, StoreRetention retention, IScanBatchQueue queue, ScanStartGate gate)
    {
        _gate = gate ?? throw new ArgumentNullException(nameof(gate));
        _planner = planner ?? throw new ArgumentNullException(nameof(planner));
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _recovery = recovery ?? throw new ArgumentNullException(nameof(recovery));
        _retention = retention ?? throw new ArgumentNullException(nameof(retention));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
    }

    /// <summary>
    /// Whether a scan may start now (one at a time; on request, within the hourly bound and the scope); when it may,
    /// its record is opened and the admission's request is what to plan or start.
    /// </summary>
    public Task<ScanAdmission> AdmitAsync(ScanRequest request, CancellationToken cancellationToken) => _gate.AdmitAsync(request, cancellationToken);

    /// <summary>Plans a scan without sending its batches, for a host whose output binding sends them.</summary>
    public Task<ScanPlan> PlanAsync(ScanRequest request, CancellationToken cancellationToken, IProgress<ScanProgress>? progress = null) =>
        _planner.PlanAsync(request, cancellationToken, progress);

    /// <summary>Plans a scan and sends its batches to the queue.</summary>
    public async Task<ScanPlan> StartAsync(ScanRequest request, CancellationToken cancellationToken, IProgress<ScanProgress>? progress = null)
    {
        var plan = await _planner.PlanAsync(request, cancellationToken, progress).ConfigureAwait(false);

        // Should sending fail half way, the batches that went out still run, and recovery ends the scan once they are done.
        await _queue.SendAsync(plan.Batches.Select(ScanBatchJson.Serialize).ToList(), cancellationToken).ConfigureAwait(false);
        return plan;
    }

    /// <summary>Checks, stores and, when it is the last, finishes with one batch.</summary>
    public Task<BatchOutcome> RunBatchAsync(ScanBatch batch, CancellationToken cancellationToken) => _runner.RunAsync(batch, cancellationToken);

    /// <summary>Gives a batch up, so that its scan can end.</summary>
    public Task<ScanEnd> AbandonBatchAsync(ScanBatch batch, string reason, CancellationToken cancellationToken) => _runner.AbandonAsync(batch, reason, cancellationToken);

    /// <summary>Ends the scans left running with nothing in flight; how many.</summary>
    public Task<int> RecoverAsync(CancellationToken cancellationToken) => _recovery.RecoverAsync(cancellationToken);

    /// <summary>What a scheduled run does before it plans: old bookkeeping removed, scans left running ended.</summary>
    public async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        await _retention.PruneAsync(cancellationToken).ConfigureAwait(false);
        await _recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
    }
}
