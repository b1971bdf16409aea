using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Compliance.Reliability.Tests;

/// <summary>The figures of every case that ran, and the Markdown table made of them (<c>docs/reliability.md</c>).</summary>
public sealed class ReliabilityLedger
{
    private readonly Lock _lock = new();
    private readonly List<FaultFigures> _faults = [];
    private readonly List<HostileFigures> _hostile = [];

    public void Add(FaultFigures figures)
    {
        lock (_lock)
        {
            _faults.Add(figures);
        }
    }

    public void Add(HostileFigures figures)
    {
        lock (_lock)
        {
            _hostile.Add(figures);
        }
    }

    /// <summary>The table, faults in the order they ran and hostile inputs grouped by area.</summary>
    public string ToMarkdown(bool soak)
    {
        List<FaultFigures> faults;
        List<HostileFigures> hostile;
        lock (_lock)
        {
            faults = [.. _faults];
            hostile = [.. _hostile.OrderBy(h => h.Area, StringComparer.Ordinal).ThenBy(h => h.Input, StringComparer.Ordinal)];
        }

        var text = new StringBuilder();
        var line = (string value) => text.Append(value).Append('\n');
        line("# Reliability figures");
        line(string.Empty);
        line(soak
            ? "Written by the soak run (`bash tools/soak.sh`): a larger fleet, several scans under each fault, several seeds."
            : "Written by the test run (`bash tools/test.sh`, which CI runs) from the cases of `tests/Compliance.Reliability.Tests`; the soak run (`bash tools/soak.sh`) writes a larger one to `artifacts/reliability-soak/`.");
        line("Each fault case scans a fleet (through the real Azure SDK clients, the loopback ARM emulator, Azurite and loopback");
        line("notification receivers) while the fault lasts, then once more after it ends, and checks that every machine has its");
        line("true verdict, that each machine's history is an unbroken chain without repeats, and that every notification due");
        line("(from the history: each action entered or resolved, each completed scan's digest) reached every sink exactly once.");
        line("The history is read as the app serves it: the history table and the entries a process killed between a state write");
        line("and its history append left in the state (`PendingHistory`, written out by the end of the next scan, its recovery or");
        line("a dispatch; see the README's \"State, history and notifications\").");
        line("Every case also asserts its own zeros, so a figure other than 0 below fails the run that wrote it.");
        line(string.Empty);
        line("## Summary");
        line(string.Empty);
        var machines = faults.Sum(f => f.Machines);
        var due = faults.Sum(f => f.NotificationsDue);
        var scans = faults.Sum(f => f.Scans);
        var untouchedCases = hostile.Count(h => h.StoreUntouched is not null);
        line("| Figure | Value | Cases behind it |");
        line("|---|---:|---|");
        line(Invariant($"| Verdicts lost | {faults.Sum(f => f.VerdictsLost)} | {faults.Count} fault cases, {machines} machines, {scans} scans |"));
        line(Invariant($"| Wrong `Compliant` verdicts stored | {faults.Sum(f => f.WrongCompliant)} | the same {faults.Count} cases, checked after every scan |"));
        line(Invariant($"| History gaps | {faults.Sum(f => f.HistoryGaps)} | {machines} machine histories |"));
        line(Invariant($"| History duplicates | {faults.Sum(f => f.HistoryDuplicates)} | {machines} machine histories |"));
        line(Invariant($"| Notifications duplicated | {faults.Sum(f => f.NotificationsDuplicated)} | {due} due notifications (summed over sinks) |"));
        line(Invariant($"| Notifications missed | {faults.Sum(f => f.NotificationsMissed)} | {due} due notifications |"));
        line(Invariant($"| Notifications nobody was due | {faults.Sum(f => f.NotificationsUnexpected)} | {due} due notifications |"));
        line(Invariant($"| Hostile inputs that changed the store | {hostile.Count(h => h.StoreUntouched == false)} | {untouchedCases} inputs meant to leave it alone, of {hostile.Count} hostile inputs |"));
        line(string.Empty);
        line("## Faults");
        line(string.Empty);
        line("| Fault | Injected | Machines | Scans | Verdicts lost | Wrong `Compliant` | History gaps | History duplicates | Notifications due | Duplicated | Missed |");
        line("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var f in faults)
        {
            line(Invariant($"| {Cell(f.Fault)} | {Cell(f.Injected)} | {f.Machines} | {f.Scans} | {f.VerdictsLost} | {f.WrongCompliant} | {f.HistoryGaps} | {f.HistoryDuplicates} | {f.NotificationsDue} | {f.NotificationsDuplicated} | {f.NotificationsMissed} |"));
        }

        line(string.Empty);
        line("## Hostile inputs");
        line(string.Empty);
        line("| Where | Input | Answer | Store untouched |");
        line("|---|---|---|---|");
        foreach (var h in hostile)
        {
            var untouched = h.StoreUntouched switch { true => "yes", false => "**no**", null => "n/a (a verdict is stored)" };
            line($"| {Cell(h.Area)} | {Cell(h.Input)} | {Cell(h.Answer)} | {untouched} |");
        }

        return text.ToString();
    }

    /// <summary>The same figures as JSON, for tools that compare runs.</summary>
    public string ToJson()
    {
        lock (_lock)
        {
            return JsonSerializer.Serialize(new { faults = _faults, hostile = _hostile }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        }
    }

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    // A cell never breaks the table: pipes are escaped and line breaks flattened.
    private static string Cell(string value) => value.Replace("|", "\\|", StringComparison.Ordinal).ReplaceLineEndings(" ");
}
