using System.Globalization;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>
/// The one place a scan ends, whoever ends it (the batch that completes it, a planner with nothing to fan out, or the
/// recovery of a scan whose batches will never come): the summary counters are refreshed from the stored state (and
/// history entries a crash kept in a state are written out in the same pass, <see cref="PendingHistorySweep"/>), the
/// scan record gets its totals, its errors (those of the plan, the verdicts that could not be stored, the batches given
/// up) and its digest, and is finished exactly once; whoever finished it then delivers the notifications.
/// </summary>
public sealed class ScanFinisher
{
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly NotificationDispatcher _dispatcher;
    private readonly IReadOnlyList<string> _sinks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanFinisher> _logger;

    /// <summary>Creates a finisher.</summary>
    public ScanFinisher(
        IVerdictStore verdicts,
        IScanLedger ledger,
        NotificationDispatcher dispatcher,
        IEnumerable<INotificationSink> sinks,
        TimeProvider timeProvider,
        ILogger<ScanFinisher> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _sinks = sinks.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Finishes scan <paramref name="scanId"/> of <paramref name="batches"/> batches when every one of them is over (done
    /// or given up); the caller that finished it delivers the notifications.
    /// </summary>
    public async Task<ScanEnd> TryFinishAsync(string scanId, int batches, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scanId);
        var results = await _ledger.GetBatchResultsAsync(scanId, cancellationToken).ConfigureAwait(false);
        return results.Values.Count(r => r.IsOver) < batches
            ? ScanEnd.NotYet
            : await EndAsync(scanId, batches, results, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Ends a scan whose batches that are not over will never come (nothing is in flight any more): it is finished with
    /// what it stored, and counts the missing batches as given up.
    /// </summary>
    public async Task<ScanEnd> EndAbandonedAsync(ScanRecord running, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(running);
        var results = await _ledger.GetBatchResultsAsync(running.ScanId, cancellationToken).ConfigureAwait(false);
        return await EndAsync(running.ScanId, running.Batches, results, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScanEnd> EndAsync(string scanId, int batches, IReadOnlyDictionary<int, BatchResult> results, CancellationToken cancellationToken)
    {
        var started = await _ledger.GetScanAsync(scanId, cancellationToken).ConfigureAwait(false);
        if (started?.CompletedAt is not null)
        {
            return ScanEnd.NotYet;
        }

        // Before the record is finished: an entry a crash kept in a state is in the history when the scan reads as over.
        var summary = await StoredSummary.RefreshAsync(_verdicts, _ledger, scanId, _timeProvider, new PendingHistorySweep(_verdicts, _logger), cancellationToken).ConfigureAwait(false);
        var total = results.Values.Aggregate(RecordOutcome.None, (sum, next) => sum.Add(next.Outcome));
        var missing = Enumerable.Range(0, batches).Where(i => !results.TryGetValue(i, out var r) || !r.IsOver).ToList();
        var abandoned = results.Where(r => r.Value.State == BatchState.Abandoned).OrderBy(r => r.Key).ToList();
        var batchErrors = abandoned
            .Select(r => new ReportError(Batch(r.Key, batches), $"given up after its last delivery: {r.Value.Error ?? "it kept failing"}; its other resources keep their earlier verdicts"))
            .Concat(missing.Select(i => new ReportError(Batch(i, batches), "never completed (no delivery of it is left); its resources keep their earlier verdicts")))
            .ToList();
        var errors = (started?.Errors ?? []).Concat(total.Unstored).Concat(batchErrors);
        var finished = new ScanRecord(
            scanId,
            started?.StartedAt ?? _timeProvider.GetUtcNow(),
            _timeProvider.GetUtcNow(),
            summary,
            total.Recorded,
            total.Stale,
            ScanErrors.Bound(errors),
            null)
        {
            Batches = batches,
            PlannedAt = started?.PlannedAt,
            Requested = started?.Requested ?? false,
            AbandonedBatches = abandoned.Count + missing.Count,
            ErrorCount = (started?.ErrorCount ?? 0) + total.Unstored.Count + batchErrors.Count,
        };
        if (_sinks.Count > 0)
        {
            finished = finished with { Digest = new PendingNotification(NotificationPolicy.Digest(finished), _sinks) };
        }

        if (!await _ledger.TryFinishScanAsync(finished, cancellationToken).ConfigureAwait(false))
        {
            return ScanEnd.NotYet;
        }

        ScanLog.ScanFinished(_logger, scanId, finished.Status.ToString(), total.Recorded, total.Unstored.Count, finished.AbandonedBatches);

        // After every verdict of the scan is stored: the other batches do not each read the whole outbox. A delivery
        // that fails waits for the next dispatch.
        var dispatched = await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        return new ScanEnd(finished, dispatched);
    }

    private static string Batch(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"batch {index + 1} of {count}");
}
