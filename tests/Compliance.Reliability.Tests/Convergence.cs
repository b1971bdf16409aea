using System.Globalization;
using System.Text.Json;
using Compliance.Core.Notifications;
using Compliance.Core.Storage;

namespace Compliance.Reliability.Tests;

/// <summary>
/// Checks a converged system against the truth, without asking the code under test what was due: verdicts against
/// the fleet, each history as a chain, and the notifications against what the history and the completed scans call for.
/// </summary>
internal static class Convergence
{
    private const string Unknown = "Unknown";

    /// <summary>Machines stored <c>Compliant</c> whose true verdict is not: the one mistake a compliance tool must never make.</summary>
    public static async Task<int> WrongCompliantAsync(IVerdictStore verdicts, ReliabilityFleet fleet)
    {
        var states = await verdicts.GetStatesAsync([.. fleet.Expected.Keys], CancellationToken.None);
        return states.Values.Count(s => s.State.Verdict.Status == "Compliant" && fleet.Expected[s.State.ResourceId].Status != "Compliant");
    }

    /// <summary>
    /// Waits until nothing is left to deliver: a scan is recorded as finished before its notifications go out, and a
    /// dispatch waits its turn behind one still retrying a sink. Fails the test after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitForEmptyOutboxAsync(IVerdictStore verdicts, IScanLedger ledger, ReliabilityFleet fleet, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var states = await verdicts.GetStatesAsync([.. fleet.Expected.Keys], CancellationToken.None);
            var pending = states.Values.Sum(s => s.State.Outbox.Count);
            await foreach (var scan in ledger.GetScansAsync(CancellationToken.None))
            {
                pending += scan.Digest is null ? 0 : 1;
            }

            if (pending == 0)
            {
                return;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"{pending} notifications were still waiting after {timeout}.");
            await Task.Delay(100);
        }
    }

    public static async Task<ConvergenceReport> CheckAsync(IVerdictStore verdicts, IScanLedger ledger, ReliabilityFleet fleet, LoopbackReceiver? receiver, IReadOnlyList<string> sinks)
    {
        var problems = new List<string>();
        var states = await verdicts.GetStatesAsync([.. fleet.Expected.Keys], CancellationToken.None);
        int lost = 0, gaps = 0, duplicates = 0;
        var due = new List<NotificationKey>();
        foreach (var (id, expected) in fleet.Expected)
        {
            if (!states.TryGetValue(id, out var stored))
            {
                lost++;
                problems.Add($"{id}: no verdict stored");
                continue;
            }

            var verdict = stored.State.Verdict;
            if (verdict.Status != expected.Status || !verdict.Actions.Order(StringComparer.Ordinal).SequenceEqual(expected.Actions.Order(StringComparer.Ordinal)))
            {
                lost++;
                problems.Add($"{id}: stored {verdict.Status} [{string.Join(",", verdict.Actions)}], true verdict {expected.Status} [{string.Join(",", expected.Actions)}]");
            }

            var history = new List<HistoryEntry>();
            await foreach (var entry in verdicts.GetHistoryAsync(id, CancellationToken.None))
            {
                history.Add(entry);
            }

            history.Reverse();
            var (entryGaps, entryDuplicates) = CheckChain(id, history, verdict.Status, verdict.Actions, problems);
            gaps += entryGaps;
            duplicates += entryDuplicates;
            due.AddRange(DueFrom(history));
        }

        await foreach (var scan in ledger.GetScansAsync(CancellationToken.None))
        {
            if (scan.CompletedAt is not null)
            {
                due.Add(new NotificationKey(NotificationTypes.ScanCompleted, $"/scans/{scan.ScanId}", string.Empty, 0));
            }
        }

        int duplicated = 0, missed = 0, unexpected = 0;
        foreach (var sink in sinks)
        {
            var delivered = (receiver?.Notifications ?? []).Where(a => a.Sink == sink).Select(a => KeyOf(a.Event)).ToList();
            var counts = delivered.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            foreach (var key in due)
            {
                if (!counts.TryGetValue(key, out var count))
                {
                    missed++;
                    problems.Add($"{sink}: missed {key}");
                }
                else if (count > 1)
                {
                    duplicated += count - 1;
                    problems.Add($"{sink}: {key} delivered {count} times");
                }
            }

            foreach (var extra in counts.Keys.Except(due))
            {
                unexpected += counts[extra];
                problems.Add($"{sink}: {extra} was not due");
            }
        }

        return new ConvergenceReport(lost, gaps, duplicates, due.Count * sinks.Count, duplicated, missed, unexpected, problems);
    }

    // Oldest first: each entry starts where the one before it ended, no change is written twice, and the newest entry
    // ends at the stored verdict.
    private static (int Gaps, int Duplicates) CheckChain(string id, List<HistoryEntry> history, string status, IReadOnlyList<string> actions, List<string> problems)
    {
        int gaps = 0, duplicates = 0;
        var seen = new HashSet<DateTimeOffset>();
        string? fromStatus = null;
        IReadOnlyList<string> fromActions = [];
        foreach (var entry in history)
        {
            if (!seen.Add(entry.At))
            {
                duplicates++;
                problems.Add($"{id}: history entry at {entry.At:O} written twice");
                continue;
            }

            if (entry.FromStatus != fromStatus || !Same(entry.FromActions, fromActions))
            {
                gaps++;
                problems.Add($"{id}: history entry at {entry.At:O} starts from {entry.FromStatus ?? "nothing"}, the entry before ended at {fromStatus ?? "nothing"}");
            }

            fromStatus = entry.ToStatus;
            fromActions = entry.ToActions;
        }

        if (fromStatus != status || !Same(fromActions, actions))
        {
            gaps++;
            problems.Add($"{id}: the newest history entry ends at {fromStatus ?? "nothing"}, the stored verdict is {status}");
        }

        return (gaps, duplicates);
    }

    // Each checked verdict that adds an action calls for its "required" event, each that drops an action already
    // called for, an "ActionResolved"; an Unknown verdict proves nothing and calls for nothing.
    private static IEnumerable<NotificationKey> DueFrom(List<HistoryEntry> history)
    {
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in history.Where(e => e.ToStatus != Unknown))
        {
            foreach (var action in entry.ToActions.Where(a => !open.Contains(a)))
            {
                var type = action == "KvaShadowing" ? NotificationTypes.KvaShadowingRequired : NotificationTypes.GuestUpdateRequired;
                yield return new NotificationKey(type, entry.ResourceId.ToLowerInvariant(), action, entry.At.UtcTicks);
            }

            foreach (var action in open.Where(a => !entry.ToActions.Contains(a)))
            {
                yield return new NotificationKey(NotificationTypes.ActionResolved, entry.ResourceId.ToLowerInvariant(), action, entry.At.UtcTicks);
            }

            open = new HashSet<string>(entry.ToActions, StringComparer.Ordinal);
        }
    }

    private static NotificationKey KeyOf(JsonElement cloudEvent)
    {
        var type = cloudEvent.GetProperty("type").GetString()!;
        var subject = cloudEvent.GetProperty("subject").GetString()!;
        if (type == NotificationTypes.ScanCompleted)
        {
            return new NotificationKey(type, subject, string.Empty, 0);
        }

        var action = cloudEvent.GetProperty("data").GetProperty("notification").GetProperty("action").GetString()!;
        var at = DateTimeOffset.Parse(cloudEvent.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);
        return new NotificationKey(type, subject.ToLowerInvariant(), action, at.UtcTicks);
    }

    private static bool Same(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.Order(StringComparer.Ordinal).SequenceEqual(b.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>One notification: a resource's transition (type, resource, action, the verdict's time) or a scan's digest.</summary>
    private sealed record NotificationKey(string Type, string Subject, string Action, long AtTicks);
}
