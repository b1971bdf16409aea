using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// The second half of a fanned-out scan: checks one batch with bounded concurrency, stores its verdicts, records the
/// batch as done and, when it was the last one, has the scan finished (<see cref="ScanFinisher"/>). A batch delivered
/// again (after a failure, a timeout or a crash) resumes: a batch already over is not checked again, nor is a resource
/// whose verdict this scan already stored or judged. A batch that runs out of <see cref="ScanOptions.BatchTimeBudget"/>
/// stores what it judged, records where it stopped and fails with <see cref="ScanBatchIncompleteException"/>, so that its
/// message comes again.
/// </summary>
public sealed class BatchRunner
{
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly ScanFinisher _finisher;
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<BatchRunner> _logger;

    /// <summary>Creates a runner.</summary>
    public BatchRunner(
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        ScanFinisher finisher,
        IVerdictStore verdicts,
        IScanLedger ledger,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<BatchRunner> logger)
    {
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _finisher = finisher ?? throw new ArgumentNullException(nameof(finisher));
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
        var results = await _ledger.GetBatchResultsAsync(batch.ScanId, cancellationToken).ConfigureAwait(false);
        var earlier = results.GetValueOrDefault(batch.Index);
        if (earlier is { IsOver: true })
        {
            // Delivered again after it was over (its message outlived the end of the run): only the finish may be left.
            var again = await _finisher.TryFinishAsync(batch.ScanId, batch.Count, cancellationToken).ConfigureAwait(false);
            return new BatchOutcome([], earlier.Outcome, again.Finished is not null, again.Dispatched);
        }

        var (pending, alreadyStored) = await PendingAsync(batch, earlier, cancellationToken).ConfigureAwait(false);
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
                        using var place = CheckOrder.Begin(CheckOrder.Of(batch.Index, pending[i].Position));
                        assessments[i] = await _scanner.JudgeAsync(pending[i].Resource, token).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Out of time: keep what is judged, so that the next delivery of this batch starts after it.
                var judged = await SavePartialAsync(batch, earlier, pending, assessments, cancellationToken).ConfigureAwait(false);
                ScanLog.BatchOutOfTime(_logger, batch.ScanId, batch.Index, judged, pending.Count);
                throw new ScanBatchIncompleteException(batch.ScanId, batch.Index, judged, pending.Count);
            }
        }

        var judgedAll = assessments.OfType<Assessment>().ToList();
        var recorded = await _recorder.RecordAsync(judgedAll, batch.ScanId, cancellationToken).ConfigureAwait(false);

        // What earlier deliveries stored under this scan still counts as recorded by this batch; what they judged and
        // could not store counts as they reported it.
        var outcome = (earlier?.Outcome ?? RecordOutcome.None).Add(recorded) with { Recorded = recorded.Recorded + alreadyStored };
        await _ledger.SaveBatchResultAsync(batch.ScanId, batch.Index, new BatchResult(outcome, _timeProvider.GetUtcNow()), cancellationToken).ConfigureAwait(false);

        var end = await _finisher.TryFinishAsync(batch.ScanId, batch.Count, cancellationToken).ConfigureAwait(false);
        ScanLog.BatchDone(_logger, batch.ScanId, batch.Index, batch.Count, outcome.Recorded, end.Finished is not null);
        return new BatchOutcome(judgedAll, outcome, end.Finished is not null, end.Dispatched);
    }

    /// <summary>
    /// Gives <paramref name="batch"/> up (its last delivery failed, or its message kept coming back): it is recorded as
    /// abandoned with <paramref name="reason"/>, keeping what earlier deliveries stored, so that its scan can end.
    /// </summary>
    public async Task<ScanEnd> AbandonAsync(ScanBatch batch, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var results = await _ledger.GetBatchResultsAsync(batch.ScanId, cancellationToken).ConfigureAwait(false);
        var earlier = results.GetValueOrDefault(batch.Index);
        if (earlier is not { IsOver: true })
        {
            var (_, alreadyStored) = await PendingAsync(batch, earlier, cancellationToken).ConfigureAwait(false);
            var outcome = (earlier?.Outcome ?? RecordOutcome.None) with { Recorded = alreadyStored };
            var abandoned = new BatchResult(outcome, _timeProvider.GetUtcNow()) { State = BatchState.Abandoned, Error = reason };
            await _ledger.SaveBatchResultAsync(batch.ScanId, batch.Index, abandoned, cancellationToken).ConfigureAwait(false);
            ScanLog.BatchAbandoned(_logger, batch.ScanId, batch.Index, batch.Count, reason);
        }

        return await _finisher.TryFinishAsync(batch.ScanId, batch.Count, cancellationToken).ConfigureAwait(false);
    }

    // The resources of the batch still to check, with their places in it, and how many this scan already stored.
    private async Task<(IReadOnlyList<(int Position, InventoryResource Resource)> Pending, int AlreadyStored)> PendingAsync(
        ScanBatch batch, BatchResult? earlier, CancellationToken cancellationToken)
    {
        var skip = (earlier?.Judged ?? []).ToHashSet();
        var storable = batch.Resources.Where(r => ResourceKey.IsStorable(r.Id, out _)).Select(r => r.Id.Value).ToList();
        var stored = storable.Count == 0
            ? new Dictionary<string, StoredState>()
            : await _verdicts.GetStatesAsync(storable, cancellationToken).ConfigureAwait(false);
        var pending = new List<(int, InventoryResource)>();
        var alreadyStored = 0;
        for (var position = 0; position < batch.Resources.Count; position++)
        {
            var resource = batch.Resources[position];
            if (stored.TryGetValue(resource.Id.Value, out var state) && string.Equals(state.State.ScanId, batch.ScanId, StringComparison.Ordinal))
            {
                alreadyStored++;
            }
            else if (!skip.Contains(position))
            {
                pending.Add((position, resource));
            }
        }

        return (pending, alreadyStored);
    }

    // Stores what this delivery judged and records the batch as partial, with every position judged so far whose verdict
    // is not stored under this scan, so that no Run Command runs twice for it.
    private async Task<int> SavePartialAsync(
        ScanBatch batch,
        BatchResult? earlier,
        IReadOnlyList<(int Position, InventoryResource Resource)> pending,
        Assessment?[] assessments,
        CancellationToken cancellationToken)
    {
        var judged = Enumerable.Range(0, pending.Count).Where(i => assessments[i] is not null).ToList();
        var recorded = await _recorder.RecordAsync(judged.Select(i => assessments[i]!).ToList(), batch.ScanId, cancellationToken).ConfigureAwait(false);
        var storedNow = await _verdicts.GetStatesAsync(
            judged.Select(i => pending[i].Resource).Where(r => ResourceKey.IsStorable(r.Id, out _)).Select(r => r.Id.Value).ToList(),
            cancellationToken).ConfigureAwait(false);
        var notStored = judged
            .Where(i => !(storedNow.TryGetValue(pending[i].Resource.Id.Value, out var state) && string.Equals(state.State.ScanId, batch.ScanId, StringComparison.Ordinal)))
            .Select(i => pending[i].Position);
        var partial = new BatchResult((earlier?.Outcome ?? RecordOutcome.None).Add(recorded) with { Recorded = 0 }, _timeProvider.GetUtcNow())
        {
            State = BatchState.Partial,
            Judged = [.. (earlier?.Judged ?? []).Concat(notStored).Distinct().Order()],
        };
        await _ledger.SaveBatchResultAsync(batch.ScanId, batch.Index, partial, cancellationToken).ConfigureAwait(false);
        return judged.Count;
    }
}
