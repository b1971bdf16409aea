using Compliance.Core.Exemptions;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Storage;

/// <summary>
/// Stores verdicts. A verdict replaces the current state only when it is newer than the stored one (conditional on the
/// state's ETag, re-read and re-decided on a conflict), so a slow scan never overwrites a newer event-driven result.
/// Everything that depends on the change is written in the same entity: the last known verdict beside an Unknown one,
/// the notification policy's open actions, the new history entry and the notifications to deliver. History entries
/// are then appended idempotently; one that a crash kept from the history is appended before the next write of its
/// state drops it, or sooner by the end of a scan or a dispatch (<see cref="PendingHistorySweep"/>), and is read with
/// the history meanwhile (<see cref="ResourceHistory"/>), so the history has neither gaps nor duplicates.
/// </summary>
public sealed class ComplianceRecorder
{
    private const int MaxAttempts = 5;

    private readonly IVerdictStore _verdicts;
    private readonly NotificationPolicy _policy;
    private readonly IReadOnlyList<string> _sinks;
    private readonly ILogger<ComplianceRecorder> _logger;
    private readonly IExemptionStore? _exemptions;
    private readonly TimeProvider _timeProvider;

    /// <summary>
    /// Creates a recorder; notifications are queued for each of <paramref name="sinks"/>. With
    /// <paramref name="exemptions"/>, each record reads the exemptions once and applies them (<see cref="ExemptionCoverage"/>)
    /// at <paramref name="timeProvider"/>'s time.
    /// </summary>
    public ComplianceRecorder(
        IVerdictStore verdicts,
        NotificationPolicy policy,
        IEnumerable<INotificationSink> sinks,
        ILogger<ComplianceRecorder> logger,
        IExemptionStore? exemptions = null,
        TimeProvider? timeProvider = null)
    {
        _exemptions = exemptions;
        _timeProvider = timeProvider ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(sinks);
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _sinks = sinks.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Records <paramref name="assessments"/>, produced by the scan or event <paramref name="scanId"/>.</summary>
    public Task<RecordOutcome> RecordAsync(IReadOnlyList<Assessment> assessments, string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        return RecordAsync(assessments.Select(ComplianceReportBuilder.ToResource).ToList(), scanId, cancellationToken);
    }

    /// <summary>Records verdicts in the report format.</summary>
    public async Task<RecordOutcome> RecordAsync(IReadOnlyList<ReportResource> verdicts, string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentException.ThrowIfNullOrWhiteSpace(scanId);

        // One verdict per resource: the newest wins. A resource the store cannot hold is reported, never written (nor
        // read: its keys do not exist).
        var unstored = new List<ReportError>();
        var pending = new Dictionary<string, ReportResource>(StringComparer.OrdinalIgnoreCase);
        foreach (var verdict in verdicts.GroupBy(v => v.Id, StringComparer.OrdinalIgnoreCase).Select(g => g.OrderByDescending(v => v.CheckedAt).First()))
        {
            if (ResourceKey.IsStorable(new ResourceId(verdict.Id), out var reason))
            {
                pending[verdict.Id] = verdict;
            }
            else
            {
                unstored.Add(Unstored(verdict, reason!));
            }
        }

        // Read once per record, not once per verdict: a change made through the API or the command line applies from
        // the next record on (and to the stored states at once, through ExemptionSweep).
        var exemptions = pending.Count == 0 ? [] : await LoadExemptionsAsync(cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        int recorded = 0, stale = 0, changes = 0, notifications = 0;
        var newHistory = new List<HistoryEntry>();
        for (var attempt = 1; pending.Count > 0 && attempt <= MaxAttempts; attempt++)
        {
            var stored = await _verdicts.GetStatesAsync(pending.Keys.ToList(), cancellationToken).ConfigureAwait(false);
            var writes = new List<StateWrite>();
            var leftovers = new List<HistoryEntry>();
            var transitions = new Dictionary<string, (HistoryEntry? History, int Messages)>(StringComparer.OrdinalIgnoreCase);
            foreach (var verdict in pending.Values)
            {
                var current = stored.GetValueOrDefault(verdict.Id);
                if (current is not null && verdict.CheckedAt <= current.State.CheckedAt)
                {
                    StorageLog.VerdictStale(_logger, verdict.Id);
                    stale++;
                    pending.Remove(verdict.Id);
                    continue;
                }

                var effective = ExemptionCoverage.Apply(verdict, exemptions, now);
                var (state, history, messages) = Transition(current?.State, effective, scanId, verdict.CheckedAt, EndOf(exemptions, now));
                writes.Add(new StateWrite(state, current?.ETag));
                transitions[verdict.Id] = (history, messages);
                leftovers.AddRange(current?.State.PendingHistory ?? []);
            }

            // Entries a crash may have kept from the history go in before the writes that drop them from the states.
            if (leftovers.Count > 0)
            {
                await _verdicts.AppendHistoryAsync(leftovers, cancellationToken).ConfigureAwait(false);
            }

            var results = await _verdicts.WriteStatesAsync(writes, cancellationToken).ConfigureAwait(false);
            foreach (var refused in results.Where(r => r.Refusal is not null))
            {
                if (pending.Remove(refused.ResourceId, out var verdict))
                {
                    unstored.Add(Unstored(verdict, refused.Refusal!));
                }
            }

            foreach (var result in results.Where(r => r.Written))
            {
                var (history, messages) = transitions[result.ResourceId];
                pending.Remove(result.ResourceId);
                recorded++;
                notifications += messages;
                if (history is not null)
                {
                    changes++;
                    newHistory.Add(history);
                }
            }
        }

        foreach (var lost in pending.Keys)
        {
            StorageLog.VerdictLost(_logger, lost, MaxAttempts);
        }

        foreach (var error in unstored)
        {
            StorageLog.VerdictUnstored(_logger, error.Scope, error.Message);
        }

        await AppendNewHistoryAsync(newHistory, cancellationToken).ConfigureAwait(false);
        return new RecordOutcome(recorded, stale, pending.Count, changes, notifications) { Unstored = unstored };
    }

    private static ReportError Unstored(ReportResource verdict, string reason)
    {
        var codes = verdict.Findings.Count == 0 ? string.Empty : $" ({string.Join(", ", verdict.Findings.Select(f => f.Code).Distinct(StringComparer.Ordinal))})";
        return ScanErrors.Cut(new ReportError(verdict.Id, $"judged {verdict.Status}{codes}; not stored: {reason}"));
    }

    /// <summary>
    /// Re-applies the exemptions to the stored states of <paramref name="resourceIds"/> without a new check: a state
    /// whose status or exemption changes is written (conditional on its ETag, re-read on a conflict, so two sweeps never
    /// publish the same transition twice) with a history entry under <paramref name="scanId"/> at the current time and
    /// the notifications the policy decides. Returns how many states changed.
    /// </summary>
    public async Task<int> ReapplyAsync(IReadOnlyCollection<string> resourceIds, string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        ArgumentException.ThrowIfNullOrWhiteSpace(scanId);
        var pending = resourceIds.ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (pending.Count == 0)
        {
            return 0;
        }

        var exemptions = await LoadExemptionsAsync(cancellationToken).ConfigureAwait(false);
        var now = _timeProvider.GetUtcNow();
        var end = EndOf(exemptions, now);
        var written = 0;
        var newHistory = new List<HistoryEntry>();
        for (var attempt = 1; pending.Count > 0 && attempt <= MaxAttempts; attempt++)
        {
            var stored = await _verdicts.GetStatesAsync(pending.ToList(), cancellationToken).ConfigureAwait(false);
            pending.IntersectWith(stored.Keys);
            var writes = new List<StateWrite>();
            var leftovers = new List<HistoryEntry>();
            var histories = new Dictionary<string, HistoryEntry?>(StringComparer.OrdinalIgnoreCase);
            foreach (var current in stored.Values)
            {
                var verdict = current.State.Verdict;
                var effective = ExemptionCoverage.Apply(verdict, exemptions, now);
                if (effective.Status == verdict.Status && Equals(effective.Exemption, verdict.Exemption))
                {
                    pending.Remove(verdict.Id);
                    continue;
                }

                var (state, history, _) = Transition(current.State, effective, scanId, now, end);
                writes.Add(new StateWrite(state, current.ETag));
                histories[verdict.Id] = history;
                leftovers.AddRange(current.State.PendingHistory);
            }

            if (leftovers.Count > 0)
            {
                await _verdicts.AppendHistoryAsync(leftovers, cancellationToken).ConfigureAwait(false);
            }

            if (writes.Count == 0)
            {
                break;
            }

            var results = await _verdicts.WriteStatesAsync(writes, cancellationToken).ConfigureAwait(false);
            foreach (var result in results)
            {
                if (result.Written)
                {
                    written++;
                    pending.Remove(result.ResourceId);
                    if (histories[result.ResourceId] is { } history)
                    {
                        newHistory.Add(history);
                    }
                }
                else if (result.Refusal is not null)
                {
                    pending.Remove(result.ResourceId);
                }
            }
        }

        foreach (var lost in pending)
        {
            StorageLog.VerdictLost(_logger, lost, MaxAttempts);
        }

        await AppendNewHistoryAsync(newHistory, cancellationToken).ConfigureAwait(false);
        return written;
    }

    private async Task<List<Exemption>> LoadExemptionsAsync(CancellationToken cancellationToken)
    {
        var exemptions = new List<Exemption>();
        if (_exemptions is not null)
        {
            await foreach (var stored in _exemptions.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                exemptions.Add(stored.Exemption);
            }
        }

        return exemptions;
    }

    // Why an exemption no longer covers: it is still there but expired, or it is gone (or no longer reaches this far).
    private static Func<string, string> EndOf(List<Exemption> exemptions, DateTimeOffset now) =>
        id => exemptions.Any(e => e.Id == id && !e.IsActiveAt(now)) ? "expired" : "removed";

    /// <summary>The state that <paramref name="verdict"/> makes of <paramref name="previous"/>.</summary>
    internal (ResourceState State, HistoryEntry? History, int Messages) Transition(ResourceState? previous, ReportResource verdict, string scanId)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return Transition(previous, verdict, scanId, verdict.CheckedAt, exemptionEnd: null);
    }

    /// <summary>
    /// The state that <paramref name="verdict"/> (exemptions applied) makes of <paramref name="previous"/>, decided at
    /// <paramref name="now"/>: the verdict's <c>checkedAt</c> for a check, the current time when exemptions are re-applied.
    /// </summary>
    internal (ResourceState State, HistoryEntry? History, int Messages) Transition(ResourceState? previous, ReportResource verdict, string scanId, DateTimeOffset now, Func<string, string>? exemptionEnd)
    {
        var changed = previous is null
            || previous.Verdict.Status != verdict.Status
            || !previous.Verdict.Actions.Order(StringComparer.Ordinal).SequenceEqual(verdict.Actions.Order(StringComparer.Ordinal), StringComparer.Ordinal);
        var history = changed
            ? new HistoryEntry(
                verdict.Id,
                now,
                scanId,
                previous?.Verdict.Status,
                verdict.Status,
                previous?.Verdict.Actions ?? [],
                verdict.Actions,
                verdict.Findings.Select(f => f.Code).ToList())
            : null;

        // Beside an Unknown verdict the last checked one stays visible.
        var lastKnown = verdict.Status != nameof(ComplianceStatus.Unknown)
            ? null
            : previous?.Verdict.Status is { } status && status != nameof(ComplianceStatus.Unknown) ? previous.Verdict : previous?.LastKnown;

        var decision = _policy.Decide(verdict, previous?.OpenActions ?? [], now, exemptionEnd);
        var outbox = (previous?.Outbox ?? []).ToList();
        if (_sinks.Count > 0)
        {
            outbox.AddRange(decision.Messages.Select(m => new PendingNotification(m, _sinks)));
        }

        var state = new ResourceState(
            verdict,
            scanId,
            lastKnown,
            decision.OpenActions,
            history is null ? [] : [history],
            outbox);
        return (state, history, _sinks.Count > 0 ? decision.Messages.Count : 0);
    }

    // Best effort: an entry not written now stays pending in its state and is appended before that state's next write.
    private async Task AppendNewHistoryAsync(List<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return;
        }

        try
        {
            await _verdicts.AppendHistoryAsync(entries, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            StorageLog.HistoryDeferred(_logger, entries.Count, ex);
        }
    }
}
