using Compliance.Core.Notifications;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Compliance.Core.Tests.Notifications;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Tests.Storage;

public sealed class ComplianceRecorderTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryVerdictStore _store = new();
    private readonly InterceptedVerdictStore _writes;
    private readonly RecordingSink _sink = new();

    public ComplianceRecorderTests() => _writes = new InterceptedVerdictStore(_store);

    private ComplianceRecorder Recorder(params INotificationSink[] sinks) => new(
        _writes,
        new NotificationPolicy(Options.Create(new NotificationOptions())),
        sinks,
        NullLogger<ComplianceRecorder>.Instance);

    private static string Id => NotificationPolicyTests.Verdict("Compliant", _t0).Id;

    [Fact]
    public async Task RecordAsync_FirstVerdict_StoresStateHistoryAndNotification()
    {
        var outcome = await Recorder(_sink).RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")], "scan-1", CancellationToken.None);

        Assert.Equal(new RecordOutcome(1, 0, 0, 1, 1), outcome);
        var state = Assert.Single(_store.States).State;
        Assert.Equal("ActionRequired", state.Verdict.Status);
        Assert.Equal("scan-1", state.ScanId);
        var pending = Assert.Single(state.Outbox);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, pending.Message.Type);
        Assert.Equal(["test"], pending.PendingSinks);
        var history = Assert.Single(_store.History);
        Assert.Null(history.FromStatus);
        Assert.Equal("ActionRequired", history.ToStatus);
        Assert.Equal(["GuestUpdate"], history.ToActions);
    }

    [Fact]
    public async Task RecordAsync_UnchangedVerdict_UpdatesCheckedAtOnly()
    {
        var recorder = Recorder(_sink);
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")], "scan-1", CancellationToken.None);

        var outcome = await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0.AddHours(6), "GuestUpdate")], "scan-2", CancellationToken.None);

        Assert.Equal(new RecordOutcome(1, 0, 0, 0, 0), outcome);
        Assert.Equal(_t0.AddHours(6), Assert.Single(_store.States).State.CheckedAt);
        Assert.Single(_store.History);
        Assert.Single(Assert.Single(_store.States).State.Outbox);
    }

    [Fact]
    public async Task RecordAsync_OlderVerdict_NeverOverwritesANewerOne()
    {
        var recorder = Recorder();
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Compliant", _t0.AddHours(1))], "event-1", CancellationToken.None);

        var outcome = await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")], "slow-scan", CancellationToken.None);

        Assert.Equal(1, outcome.Stale);
        Assert.Equal(0, outcome.Recorded);
        Assert.Equal("Compliant", Assert.Single(_store.States).State.Verdict.Status);
        Assert.Equal("event-1", _store.States[0].State.ScanId);
    }

    [Fact]
    public async Task RecordAsync_ConcurrentNewerWrite_RereadsAndStaysStale()
    {
        var recorder = Recorder();
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Compliant", _t0)], "scan-1", CancellationToken.None);
        var interfered = false;
        _writes.BeforeWrite = async store =>
        {
            if (!interfered)
            {
                interfered = true;
                await store.PutAsync(_store.States[0].State with { Verdict = NotificationPolicyTests.Verdict("Compliant", _t0.AddHours(3)), ScanId = "event" });
            }
        };

        var outcome = await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0.AddHours(2), "KvaShadowing")], "scan-2", CancellationToken.None);

        Assert.Equal(new RecordOutcome(0, 1, 0, 0, 0), outcome);
        Assert.Equal("event", Assert.Single(_store.States).State.ScanId);
    }

    [Fact]
    public async Task RecordAsync_ConcurrentOlderWrite_RetriedAndWritten()
    {
        var recorder = Recorder();
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Compliant", _t0)], "scan-1", CancellationToken.None);
        var interfered = false;
        _writes.BeforeWrite = async store =>
        {
            if (!interfered)
            {
                interfered = true;
                await store.PutAsync(_store.States[0].State with { ScanId = "touched" });
            }
        };

        var outcome = await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0.AddHours(2), "KvaShadowing")], "scan-2", CancellationToken.None);

        Assert.Equal(1, outcome.Recorded);
        Assert.Equal("scan-2", Assert.Single(_store.States).State.ScanId);
    }

    [Fact]
    public async Task RecordAsync_BecomesUnknown_KeepsTheLastKnownVerdictBesideIt()
    {
        var recorder = Recorder();
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")], "scan-1", CancellationToken.None);
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Unknown", _t0.AddHours(1))], "scan-2", CancellationToken.None);
        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Unknown", _t0.AddHours(2))], "scan-3", CancellationToken.None);

        var state = Assert.Single(_store.States).State;
        Assert.Equal("Unknown", state.Verdict.Status);
        Assert.Equal("ActionRequired", state.LastKnown!.Status);
        Assert.Equal(_t0, state.LastKnown.CheckedAt);
        Assert.Equal([new OpenAction("GuestUpdate", _t0)], state.OpenActions);

        await recorder.RecordAsync([NotificationPolicyTests.Verdict("Compliant", _t0.AddHours(3))], "scan-4", CancellationToken.None);
        Assert.Null(Assert.Single(_store.States).State.LastKnown);
    }

    [Fact]
    public async Task RecordAsync_HistoryLeftPendingByACrash_IsWrittenBeforeTheNextWriteDropsIt()
    {
        var recorder = Recorder();
        var lost = new HistoryEntry(Id, _t0, "scan-1", null, "ActionRequired", [], ["GuestUpdate"], []);
        await _store.PutAsync(new ResourceState(NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate"), "scan-1", null, [], [lost], []));

        await recorder.RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0.AddHours(1), "GuestUpdate")], "scan-2", CancellationToken.None);

        Assert.Equal([lost], _store.History);
        Assert.Empty(Assert.Single(_store.States).State.PendingHistory);
    }

    [Fact]
    public async Task RecordAsync_WithoutSinks_TracksActionsButQueuesNothing()
    {
        var outcome = await Recorder().RecordAsync([NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")], "scan-1", CancellationToken.None);

        Assert.Equal(0, outcome.Notifications);
        var state = Assert.Single(_store.States).State;
        Assert.Empty(state.Outbox);
        Assert.Equal([new OpenAction("GuestUpdate", _t0)], state.OpenActions);
    }

    [Fact]
    public async Task RecordAsync_TwoVerdictsOfOneResourceInABatch_TheNewestWins()
    {
        var outcome = await Recorder().RecordAsync(
            [NotificationPolicyTests.Verdict("Compliant", _t0.AddHours(1)), NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate")],
            "scan-1",
            CancellationToken.None);

        Assert.Equal(1, outcome.Recorded);
        Assert.Equal("Compliant", Assert.Single(_store.States).State.Verdict.Status);
    }
}
