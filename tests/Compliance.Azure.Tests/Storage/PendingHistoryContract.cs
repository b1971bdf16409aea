using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// A process killed between writing a verdict's state and appending its history entry leaves the entry only in the
/// state. Whatever touches the state next without checking the machine again (the end of a scan, its recovery, the
/// dispatch of its notifications) writes the entry to the history, once; and the history read shows it, once, before
/// that. Run against the Table store on Azurite and against the one in memory.
/// </summary>
public abstract class PendingHistoryContract
{
    private const string Subscription = "11111111-1111-1111-1111-111111111111";

    // Ticks below the millisecond: an entry's identity must survive the store's round trip of its time exactly.
    private static readonly DateTimeOffset _t0 = new DateTimeOffset(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero).AddTicks(4567);

    private readonly FakeTimeProvider _time = new(_t0.AddHours(1));
    private readonly InMemoryScanLedger _ledger = new();
    private readonly InMemoryLeaseStore _leases = new();
    private readonly CollectingSink _sink = new();

    /// <summary>The store under test; every instance it returns sees the same data.</summary>
    protected abstract IVerdictStore Store { get; }

    /// <summary>What the history itself holds for <paramref name="resourceId"/>, newest first, without the entries pending in its state.</summary>
    protected abstract Task<IReadOnlyList<HistoryEntry>> WrittenHistoryAsync(string resourceId);

    private static string Id(string name) =>
        $"/subscriptions/{Subscription}/resourceGroups/rg-Test/providers/Microsoft.Compute/virtualMachines/{name}";

    private static ReportResource Verdict(string name, string status, DateTimeOffset at, params string[] actions) => new(
        Id(name), "VirtualMachine", name, "Linux", status, actions, [], Subscription, "rg-Test", "westeurope", at);

    private INotificationSink[] Sinks(bool withSink) => withSink ? [_sink] : [];

    private ComplianceRecorder Recorder(IVerdictStore store, bool withSink) =>
        new(store, new NotificationPolicy(Options.Create(new NotificationOptions())), Sinks(withSink), NullLogger<ComplianceRecorder>.Instance);

    private NotificationDispatcher Dispatcher(bool withSink) =>
        new(Store, _ledger, _leases, Sinks(withSink), _time, NullLogger<NotificationDispatcher>.Instance);

    private ScanFinisher Finisher(bool withSink) =>
        new(Store, _ledger, Dispatcher(withSink), Sinks(withSink), _time, NullLogger<ScanFinisher>.Instance);

    // The recorder writes the state, and the process dies before it appends the entry.
    private async Task<HistoryEntry> RecordAndKillAsync(ReportResource verdict, string scanId, bool withSink)
    {
        var kills = 0;
        var killed = new InterceptedVerdictStore(Store)
        {
            AfterWrite = _ => Interlocked.Increment(ref kills) == 1 ? throw new OperationCanceledException("killed right after the state write") : Task.CompletedTask,
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Recorder(killed, withSink).RecordAsync([verdict], scanId, CancellationToken.None));
        Assert.Equal(1, kills);

        var state = (await Store.GetStateAsync(verdict.Id, CancellationToken.None))!.State;
        Assert.Equal(verdict.Status, state.Verdict.Status);
        Assert.DoesNotContain(await WrittenHistoryAsync(verdict.Id), e => e.At == verdict.CheckedAt);
        return Assert.Single(state.PendingHistory);
    }

    private async Task<List<HistoryEntry>> HistoryAsync(string name) =>
        await Store.GetHistoryAsync(Id(name), CancellationToken.None).ToListAsync();

    private async Task AssertWrittenOnceAsync(string name, HistoryEntry expected)
    {
        var written = await WrittenHistoryAsync(Id(name));
        Assert.Equal(expected.ToStatus, Assert.Single(written, e => e.At == expected.At).ToStatus);
        Assert.Equal(written.Count, written.Select(e => e.At).Distinct().Count());
        Assert.Equal(written.Select(e => (e.At, e.ToStatus)), (await HistoryAsync(name)).Select(e => (e.At, e.ToStatus)));
        Assert.Empty((await Store.GetStateAsync(Id(name), CancellationToken.None))!.State.PendingHistory);
    }

    [Fact]
    public async Task KilledAfterTheStateWrite_TheHistoryReadShowsTheEntryOnce_BeforeAnythingWritesItOut()
    {
        await Recorder(Store, withSink: false).RecordAsync([Verdict("vm-1", "Compliant", _t0)], "scan-1", CancellationToken.None);
        var pending = await RecordAndKillAsync(Verdict("vm-1", "ActionRequired", _t0.AddMinutes(30), "GuestUpdate"), "scan-2", withSink: false);

        var history = await HistoryAsync("vm-1");

        Assert.Equal([(_t0.AddMinutes(30), "ActionRequired", (string?)"Compliant"), (_t0, "Compliant", null)], history.Select(e => (e.At, e.ToStatus, e.FromStatus)));
        Assert.Equal(pending.At, history[0].At);
    }

    [Fact]
    public async Task KilledAfterTheStateWrite_TheEndOfTheScan_WritesTheEntryToTheHistoryOnce()
    {
        // vm-2's entry was appended as usual and is still in its state too: written again it stays one entry.
        await Recorder(Store, withSink: false).RecordAsync([Verdict("vm-2", "Compliant", _t0)], "scan-1", CancellationToken.None);
        var pending = await RecordAndKillAsync(Verdict("vm-1", "ActionRequired", _t0, "GuestUpdate"), "scan-1", withSink: false);
        await _ledger.SaveScanAsync(new ScanRecord("scan-1", _t0, null, ComplianceReportBuilder.Summarize([]), 0, 0, [], null) { Batches = 1, PlannedAt = _t0 }, CancellationToken.None);
        await _ledger.SaveBatchResultAsync("scan-1", 0, new BatchResult(new RecordOutcome(2, 0, 0, 2, 0), _t0), CancellationToken.None);
        Assert.Single((await Store.GetStateAsync(Id("vm-2"), CancellationToken.None))!.State.PendingHistory);
        Assert.Single(await HistoryAsync("vm-2"));

        var end = await Finisher(withSink: false).TryFinishAsync("scan-1", 1, CancellationToken.None);

        Assert.NotNull(end.Finished);
        await AssertWrittenOnceAsync("vm-1", pending);
        Assert.Single(await WrittenHistoryAsync(Id("vm-2")));
        Assert.Single(await HistoryAsync("vm-2"));

        // The next check of the machine starts its entry where the swept one ended.
        await Recorder(Store, withSink: false).RecordAsync([Verdict("vm-1", "Compliant", _t0.AddHours(1))], "scan-2", CancellationToken.None);
        Assert.Equal([("Compliant", (string?)"ActionRequired"), ("ActionRequired", null)], (await HistoryAsync("vm-1")).Select(e => (e.ToStatus, e.FromStatus)));
    }

    [Fact]
    public async Task KilledAfterTheStateWrite_TheRecoveryOfTheScan_WritesTheEntryToTheHistoryOnce()
    {
        var pending = await RecordAndKillAsync(Verdict("vm-1", "Unknown", _t0), "scan-1", withSink: false);
        await _ledger.SaveScanAsync(new ScanRecord("scan-1", _t0, null, ComplianceReportBuilder.Summarize([]), 0, 0, [], null) { Batches = 1, PlannedAt = _t0 }, CancellationToken.None);
        var queue = new InMemoryScanBatchQueue(Options.Create(new ScanQueueOptions()), _time);
        var recovery = new ScanRecovery(queue, _ledger, Finisher(withSink: false), Options.Create(new ScanOptions()), _time, NullLogger<ScanRecovery>.Instance);

        Assert.Equal(1, await recovery.RecoverAsync(CancellationToken.None));

        Assert.Equal(ScanStatus.Incomplete, (await _ledger.GetScanAsync("scan-1", CancellationToken.None))!.Status);
        await AssertWrittenOnceAsync("vm-1", pending);
    }

    [Fact]
    public async Task KilledAfterTheStateWrite_TheDispatchOfItsNotification_WritesTheEntryToTheHistoryOnce()
    {
        var pending = await RecordAndKillAsync(Verdict("vm-1", "ActionRequired", _t0, "GuestUpdate"), "event-1", withSink: true);

        var outcome = await Dispatcher(withSink: true).DispatchAsync(CancellationToken.None);

        Assert.Equal(1, outcome.Delivered);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, Assert.Single(_sink.Received).Type);
        Assert.Empty((await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.Outbox);
        await AssertWrittenOnceAsync("vm-1", pending);
    }

    [Fact]
    public async Task KilledAfterTheStateWrite_TheDeletionOfTheState_WritesTheEntryToTheHistoryFirst()
    {
        var pending = await RecordAndKillAsync(Verdict("vm-1", "ActionRequired", _t0, "GuestUpdate"), "scan-1", withSink: false);

        Assert.True(await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None));

        Assert.Null(await Store.GetStateAsync(Id("vm-1"), CancellationToken.None));
        Assert.Equal(pending.At, Assert.Single(await WrittenHistoryAsync(Id("vm-1"))).At);
        Assert.Equal(pending.At, Assert.Single(await HistoryAsync("vm-1")).At);
    }
}
