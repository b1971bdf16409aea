using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// The second half of a fanned-out scan: checks one batch with bounded concurrency, stores its verdicts, records the
/// batch as done and, when it was the last one, finishes the scan (summary counters, scan record, digest) exactly once,
/// then delivers the scan's notifications. A batch delivered again (a queue retry after a failure or a timeout) resumes: what it
/// already stored for the scan is not checked again. A batch that runs out of <see cref="ScanOptions.BatchTimeBudget"/>
/// stores what it judged and fails with <see cref="ScanBatchIncompleteException"/>, so that its message comes again.
/// </summary>
public sealed class BatchRunner
{
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly ScanPlanner _planner;
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BatchRunner> _logger;

    /// <summary>Creates a runner.</summary>
    public BatchRunner(
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        ScanPlanner planner,
        IVerdictStore verdicts,
        IScanLedger ledger,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<BatchRunner> logger)
    {
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _planner = planner ?? throw new ArgumentNullException(nameof(planner));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs <paramref name="batch"/>.</summary>
    public async Task<BatchOutcome> RunAsync(ScanBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        // A batch delivered again (the invocation before died, or timed out) resumes: a batch already recorded is not
        // checked again, nor is a resource whose verdict this scan already stored.
        var done = await _ledger.GetBatchOutcomesAsync(batch.ScanId, cancellationToken).ConfigureAwait(false);
        var pending = done.TryGetValue(batch.Index, out var earlier)
            ? []
            : await PendingAsync(batch, cancellationToken).ConfigureAwait(false);
        var assessments = new Assessment?[pending.Count];
        using (var budget = new CancellationTokenSource(_options.Value.BatchTimeBudget, _timeProvider))
        using (var checking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token))
        {
            try
            {
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, pending.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = _options.Value.MaxConcurrency, CancellationToken = checking.Token },
                    async (i, token) =>
                    {
                        using var place = CheckOrder.Begin(CheckOrder.Of(batch.Index, i));
                        assessments[i] = await _scanner.JudgeAsync(pending[i], token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Out of time: keep what is judged, so that the next delivery of this batch starts after it.
                var judged = assessments.OfType<Assessment>().ToList();
                await _recorder.RecordAsync(judged, batch.ScanId, cancellationToken).ConfigureAwait(false);
                ScanLog.BatchOutOfTime(_logger, batch.ScanId, batch.Index, judged.Count, pending.Count);
                throw new ScanBatchIncompleteException(batch.ScanId, batch.Index, judged.Count, pending.Count);
            }
        }

        var judgedAll = assessments.OfType<Assessment>().ToList();
        var outcome = earlier;
        if (outcome is null)
        {
            // Verdicts the earlier attempt stored still count as recorded by this batch.
            var recorded = await _recorder.RecordAsync(judgedAll, batch.ScanId, cancellationToken).ConfigureAwait(false);
            outcome = recorded with { Recorded = recorded.Recorded + batch.Resources.Count - pending.Count };
            await _ledger.SaveBatchOutcomeAsync(batch.ScanId, batch.Index, outcome, cancellationToken).ConfigureAwait(false);
        }

        var finished = await TryFinishAsync(batch, cancellationToken).ConfigureAwait(false);
        // The batch that finishes the scan delivers the scan's notifications, after every verdict of it is stored; the
        // other batches do not each read the whole outbox. A delivery that fails waits for the next dispatch.
        var dispatched = finished
            ? await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false)
            : new DispatchOutcome(0, 0);
        ScanLog.BatchDone(_logger, batch.ScanId, batch.Index, batch.Count, outcome.Recorded, finished);
        return new BatchOutcome(judgedAll, outcome, finished, dispatched);
    }

    private async Task<IReadOnlyList<InventoryResource>> PendingAsync(ScanBatch batch, CancellationToken cancellationToken)
    {
        var stored = await _verdicts.GetStatesAsync(batch.Resources.Select(r => r.Id.Value).ToList(), cancellationToken).ConfigureAwait(false);
        return batch.Resources
            .Where(r => !(stored.TryGetValue(r.Id.Value, out var state) && string.Equals(state.State.ScanId, batch.ScanId, StringComparison.Ordinal)))
            .ToList();
    }

    private async Task<bool> TryFinishAsync(ScanBatch batch, CancellationToken cancellationToken)
    {
        var done = await _ledger.GetBatchOutcomesAsync(batch.ScanId, cancellationToken).ConfigureAwait(false);
        if (done.Count < batch.Count)
        {
            return false;
        }

        var started = await _ledger.GetScanAsync(batch.ScanId, cancellationToken).ConfigureAwait(false);
        if (started?.CompletedAt is not null)
        {
            return false;
        }

        var summary = await StoredSummary.RefreshAsync(_verdicts, _ledger, batch.ScanId, _timeProvider, cancellationToken).ConfigureAwait(false);
        var total = done.Values.Aggregate(RecordOutcome.None, (sum, next) => sum.Add(next));
        var finished = new ScanRecord(
            batch.ScanId,
            started?.StartedAt ?? _timeProvider.GetUtcNow(),
            _timeProvider.GetUtcNow(),
            summary,
            total.Recorded,
            total.Stale,
            started?.Errors ?? [],
            null);
        return await _ledger.TryFinishScanAsync(_planner.WithDigest(finished), cancellationToken).ConfigureAwait(false);
    }
}
