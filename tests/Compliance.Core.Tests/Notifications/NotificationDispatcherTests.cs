using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Tests.Notifications;

public sealed class NotificationDispatcherTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryVerdictStore _store = new();
    private readonly InMemoryScanLedger _ledger = new();
    private readonly InMemoryLeaseStore _leases = new();
    private readonly InterceptedVerdictStore _writes;

    public NotificationDispatcherTests() => _writes = new InterceptedVerdictStore(_store);

    private NotificationDispatcher Dispatcher(params INotificationSink[] sinks) => Dispatcher(sinks, options: null);

    private NotificationDispatcher Dispatcher(INotificationSink[] sinks, IOptions<NotificationOptions>? options) =>
        new(_writes, _ledger, _leases, sinks, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance, options);

    private static NotificationMessage Message(string id, int minutes) =>
        new(id, NotificationTypes.GuestUpdateRequired, "/subscriptions/x", _t0.AddMinutes(minutes), "{}");

    private Task QueueAsync(string name, params PendingNotification[] outbox)
    {
        var verdict = NotificationPolicyTests.Verdict("ActionRequired", _t0, "GuestUpdate") with { Id = $"/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{name}", Name = name };
        return _store.PutAsync(new ResourceState(verdict, "scan-1", null, [], [], outbox));
    }

    [Fact]
    public async Task DispatchAsync_DeliversOldestFirstAndEmptiesTheOutbox()
    {
        var sink = new RecordingSink();
        await QueueAsync("a", new PendingNotification(Message("m2", 2), ["test"]));
        await QueueAsync("b", new PendingNotification(Message("m1", 1), ["test"]), new PendingNotification(Message("m3", 3), ["test"]));

        var outcome = await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(new DispatchOutcome(3, 0), outcome);
        Assert.Equal(["m1", "m2", "m3"], sink.Received.Select(m => m.Id));
        Assert.All(_store.States, s => Assert.Empty(s.State.Outbox));
        Assert.Equal(new DispatchOutcome(0, 0), await Dispatcher(sink).DispatchAsync(CancellationToken.None));
        Assert.Equal(3, sink.Received.Count);
    }

    [Fact]
    public async Task DispatchAsync_TwoAtOnce_DeliverEachMessageOnce()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { Gate = release.Task };
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        await QueueAsync("b", new PendingNotification(Message("m2", 2), ["test"]));

        var first = Dispatcher(sink).DispatchAsync(CancellationToken.None);
        await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var second = Dispatcher(sink).DispatchAsync(CancellationToken.None);
        var skipped = await Dispatcher(sink).DispatchAsync(waitForTurn: false, CancellationToken.None);
        release.SetResult();

        Assert.Equal(new DispatchOutcome(2, 0), await first);
        Assert.Equal(new DispatchOutcome(0, 0), await second);
        Assert.Equal(new DispatchOutcome(0, 0), skipped);
        Assert.Equal(["m1", "m2"], sink.Received.Select(m => m.Id));
    }

    [Fact]
    public async Task DispatchAsync_AnotherHoldsTheTurn_ReturnsAtOnceWithoutSending()
    {
        var sink = new RecordingSink();
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        var now = DateTimeOffset.UtcNow;
        var held = await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, now, now.AddMinutes(5), CancellationToken.None);

        var outcome = await Dispatcher(sink).DispatchAsync(waitForTurn: false, CancellationToken.None);

        Assert.NotNull(held);
        Assert.Equal(new DispatchOutcome(0, 0), outcome);
        Assert.Empty(sink.Received);
        Assert.Single(Assert.Single(_store.States).State.Outbox);
    }

    [Fact]
    public async Task DispatchAsync_HolderDiedAndItsLeaseRanOut_TakesOver()
    {
        var sink = new RecordingSink();
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        var past = DateTimeOffset.UtcNow.AddMinutes(-10);
        await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, past, past.AddMinutes(5), CancellationToken.None);

        var outcome = await Dispatcher(sink).DispatchAsync(waitForTurn: false, CancellationToken.None);

        Assert.Equal(new DispatchOutcome(1, 0), outcome);
        Assert.Equal(["m1"], sink.Received.Select(m => m.Id));
    }

    [Fact]
    public async Task DispatchAsync_DeliveryOutlastsTheLease_RenewsItsTurn()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sink = new RecordingSink { Gate = release.Task };
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        var options = Options.Create(new NotificationOptions { DispatchLease = TimeSpan.FromSeconds(3) });

        var first = Dispatcher([sink], options).DispatchAsync(CancellationToken.None);
        await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(4.5));
        var meanwhile = await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3), CancellationToken.None);
        release.SetResult();

        Assert.Null(meanwhile);
        Assert.Equal(new DispatchOutcome(1, 0), await first);
        Assert.NotNull(await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3), CancellationToken.None));
    }

    [Fact]
    public async Task DispatchAsync_TurnTakenOver_StopsAndLeavesTheRestToTheNewHolder()
    {
        var sink = new RecordingSink { Gate = new TaskCompletionSource().Task };
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        var options = Options.Create(new NotificationOptions { DispatchLease = TimeSpan.FromSeconds(3) });

        var dispatch = Dispatcher([sink], options).DispatchAsync(CancellationToken.None);
        await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // Another instance believes the lease ran out (its clock is ahead) and takes the turn.
        var future = DateTimeOffset.UtcNow.AddMinutes(1);
        var taken = await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, future, future.AddMinutes(1), CancellationToken.None);

        var outcome = await dispatch.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(taken);
        Assert.Equal(new DispatchOutcome(0, 0), outcome);
        Assert.Empty(sink.Received);
        Assert.Single(Assert.Single(_store.States).State.Outbox);
        // The new holder's lease is left alone.
        Assert.Null(await _leases.TryAcquireLeaseAsync(NotificationDispatcher.LeaseName, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddSeconds(3), CancellationToken.None));
    }

    [Fact]
    public async Task DispatchAsync_SinkDown_KeepsEverythingForNextTime()
    {
        var sink = new RecordingSink { Failing = true };
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));

        var outcome = await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(new DispatchOutcome(0, 1), outcome);
        Assert.Single(Assert.Single(_store.States).State.Outbox);

        sink.Failing = false;
        await Dispatcher(sink).DispatchAsync(CancellationToken.None);
        Assert.Equal(["m1"], sink.Received.Select(m => m.Id));
        Assert.Empty(Assert.Single(_store.States).State.Outbox);
    }

    [Fact]
    public async Task DispatchAsync_OneOfTwoSinksDown_OnlyItsDeliveriesWait()
    {
        var up = new RecordingSink("up");
        var down = new RecordingSink("down") { Failing = true };
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["up", "down"]));

        await Dispatcher(up, down).DispatchAsync(CancellationToken.None);

        Assert.Equal(["m1"], up.Received.Select(m => m.Id));
        Assert.Equal(["down"], Assert.Single(Assert.Single(_store.States).State.Outbox).PendingSinks);

        down.Failing = false;
        await Dispatcher(up, down).DispatchAsync(CancellationToken.None);
        Assert.Single(up.Received);
        Assert.Equal(["m1"], down.Received.Select(m => m.Id));
    }

    [Fact]
    public async Task DispatchAsync_MorePendingThanAPage_DeliversEveryMessageOnce()
    {
        var sink = new RecordingSink();
        for (var i = 0; i < 1234; i++)
        {
            await QueueAsync($"vm{i:D4}", new PendingNotification(Message($"m{i}", i), ["test"]));
        }

        var outcome = await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(new DispatchOutcome(1234, 0), outcome);
        Assert.Equal(1234, sink.Received.Select(m => m.Id).Distinct().Count());
        Assert.Equal(1234, sink.Received.Count);
        Assert.All(_store.States, s => Assert.Empty(s.State.Outbox));
    }

    [Fact]
    public async Task DispatchAsync_SinkFailsOnTheFirstPage_LaterPagesWaitWithoutBeingTried()
    {
        var sink = new RecordingSink { Failing = true };
        for (var i = 0; i < 1234; i++)
        {
            await QueueAsync($"vm{i:D4}", new PendingNotification(Message($"m{i}", i), ["test"]));
        }

        var outcome = await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(new DispatchOutcome(0, 1234), outcome);
        Assert.Equal(1, sink.Calls);
        Assert.All(_store.States, s => Assert.Single(s.State.Outbox));
    }

    [Fact]
    public async Task DispatchAsync_SinkNoLongerConfigured_DropsItsDeliveries()
    {
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["webhook"]));

        await Dispatcher(new RecordingSink("eventgrid")).DispatchAsync(CancellationToken.None);

        Assert.Empty(Assert.Single(_store.States).State.Outbox);
    }

    [Fact]
    public async Task DispatchAsync_StateChangedMeanwhile_SettlesInTheNewState()
    {
        var sink = new RecordingSink();
        await QueueAsync("a", new PendingNotification(Message("m1", 1), ["test"]));
        var once = false;
        _writes.BeforeWrite = async store =>
        {
            if (!once)
            {
                once = true;
                var state = _store.States[0].State;
                await store.PutAsync(state with { Outbox = [.. state.Outbox, new PendingNotification(Message("m9", 9), ["test"])] });
            }
        };

        await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(["m9"], Assert.Single(_store.States).State.Outbox.Select(p => p.Message.Id));
    }

    [Fact]
    public async Task DispatchAsync_ScanDigest_DeliveredOnce()
    {
        var sink = new RecordingSink();
        var scan = new ScanRecord("scan-1", _t0, _t0.AddMinutes(1), ComplianceReportBuilder.Summarize([]), 0, 0, [], null);
        await _ledger.SaveScanAsync(scan with { Digest = new PendingNotification(NotificationPolicy.Digest(scan), ["test"]) }, CancellationToken.None);

        await Dispatcher(sink).DispatchAsync(CancellationToken.None);
        await Dispatcher(sink).DispatchAsync(CancellationToken.None);

        Assert.Equal(NotificationTypes.ScanCompleted, Assert.Single(sink.Received).Type);
        await foreach (var stored in _ledger.GetScansAsync(CancellationToken.None))
        {
            Assert.Null(stored.Digest);
        }
    }
}
