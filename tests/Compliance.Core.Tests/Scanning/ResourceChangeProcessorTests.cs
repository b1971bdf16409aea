using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Compliance.Core.Tests.Scanning;

/// <summary>
/// One resource event: it only schedules a re-check, at most one pending per resource, once per event id; the re-check
/// reads ARM, judges, stores and notifies, and removes a verdict only on 404; a failure lets the retry redo it.
/// </summary>
public sealed class ResourceChangeProcessorTests
{
    private const string Patched = """{"schema":1,"os":"Linux","kernel":"5.15","vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines"}}""";
    private const string Unpatched = """{"schema":1,"os":"Linux","kernel":"3.10","vulnerabilities":null}""";
    private const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";
    private const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    private readonly IResourceInventory _inventory = Substitute.For<IResourceInventory>();
    private readonly IGuestCommandRunner _runner = Substitute.For<IGuestCommandRunner>();
    private readonly InMemoryVerdictStore _store = new();
    private readonly InterceptedVerdictStore _writes;
    private readonly InMemoryEventInbox _inbox = new();
    private readonly RecordingSink _sink = new();
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly InMemoryLeaseStore _leases = new();
    private readonly InMemoryScanBatchQueue _rechecks;
    private readonly ResourceChangeQueueOptions _queueOptions = new() { RecheckDelay = TimeSpan.FromMinutes(2) };
    private readonly Machine _machine = Resources.Vm("vm-01", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));

    public ResourceChangeProcessorTests()
    {
        _writes = new InterceptedVerdictStore(_store);
        _rechecks = new InMemoryScanBatchQueue(Options.Create(new ScanQueueOptions()), _time);
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(_machine);
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(Unpatched, null));
    }

    private ResourceChangeProcessor Processor(string? subscriptions = null, IScanBatchQueue? rechecks = null) =>
        new(_inbox, _leases, rechecks ?? _rechecks, Options.Create(new ScanOptions { Subscriptions = subscriptions }), Options.Create(_queueOptions), _time, NullLogger<ResourceChangeProcessor>.Instance);

    private ResourceRechecker Rechecker(IEnumerable<IComplianceRule>? rules = null)
    {
        var sinks = new INotificationSink[] { _sink };
        var options = Options.Create(new ScanOptions());
        var assessor = rules is null ? Judge.Assessor(time: _time) : new ComplianceAssessor(rules, Options.Create(new RulesOptions()), _time);
        var scanner = new ComplianceScanner(_inventory, _runner, assessor, options, _time, NullLogger<ComplianceScanner>.Instance);
        var policy = new NotificationPolicy(Options.Create(new NotificationOptions()));
        return new ResourceRechecker(
            _inventory,
            scanner,
            new ComplianceRecorder(_writes, policy, sinks, NullLogger<ComplianceRecorder>.Instance),
            new NotificationDispatcher(_writes, new InMemoryScanLedger(), new InMemoryLeaseStore(), sinks, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance),
            _writes,
            _leases,
            NullLogger<ResourceRechecker>.Instance);
    }

    // Runs every re-check whose delay is over, as the queue's consumer does: deleted once done, left when it throws.
    private async Task<List<ResourceChangeOutcome>> RunDueRechecksAsync(ResourceRechecker? rechecker = null)
    {
        rechecker ??= Rechecker();
        var outcomes = new List<ResourceChangeOutcome>();
        foreach (var message in await _rechecks.ReceiveAsync(32, CancellationToken.None))
        {
            outcomes.Add(await rechecker.RecheckAsync(ResourceRecheck.Deserialize(message.Text), CancellationToken.None));
            await _rechecks.DeleteAsync(message, CancellationToken.None);
        }

        return outcomes;
    }

    private static ResourceChange Change(string eventId, string resourceId, string eventType = WriteSuccess, string? operation = "Microsoft.Compute/virtualMachines/write") =>
        new(eventId, eventType, resourceId, operation, new DateTimeOffset(2026, 11, 21, 9, 59, 0, TimeSpan.Zero));

    private static ResourceChange Delete(string eventId, string resourceId) =>
        Change(eventId, resourceId, DeleteSuccess, "Microsoft.Compute/virtualMachines/delete");

    private ResourceState Stored(string status = "Compliant") =>
        new(
            new ReportResource(_machine.Id.Value, "VirtualMachine", _machine.Name, "Linux", status, [], [], Resources.Subscription, "rg-test", "westeurope", _time.GetUtcNow().AddDays(-1)),
            "scan-0",
            null,
            [],
            [],
            [new PendingNotification(new NotificationMessage("n-1", NotificationTypes.GuestUpdateRequired, _machine.Id.Value, _time.GetUtcNow(), "{}"), ["test"])]);

    [Fact]
    public async Task ProcessAsync_Write_SchedulesARecheckThatJudgesTheFreshResourceAfterTheDelay()
    {
        var outcome = await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "operation Microsoft.Compute/virtualMachines/write", false, null), outcome);
        Assert.Empty(_inventory.ReceivedCalls());
        Assert.Empty(_runner.ReceivedCalls());
        Assert.True(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.Empty(await RunDueRechecksAsync());

        _time.Advance(_queueOptions.RecheckDelay);
        var recheck = Assert.Single(await RunDueRechecksAsync());

        Assert.Equal(ResourceChangeDecision.Recheck, recheck.Decision);
        Assert.Equal(ComplianceStatus.ActionRequired, recheck.Assessment!.Status);
        await _inventory.Received(1).GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>());
        await _runner.Received(1).RunAsync(Arg.Is<Machine>(m => m.Id == _machine.Id), GuestScripts.Linux, Arg.Any<CancellationToken>());
        var stored = await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None);
        Assert.Equal("event-evt-1", stored!.State.ScanId);
        Assert.Equal("ActionRequired", stored.State.Verdict.Status);
        Assert.Equal(_time.GetUtcNow(), stored.State.CheckedAt);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, Assert.Single(_sink.Received).Type);
    }

    [Fact]
    public async Task ProcessAsync_BurstOf200EventsForOneResource_OneRecheckOneRunCommand()
    {
        var processor = Processor();
        var outcomes = new List<ResourceChangeOutcome>();
        for (var i = 0; i < 200; i++)
        {
            // Any case of the id is the same resource.
            var id = i % 2 == 0 ? _machine.Id.Value : _machine.Id.Value.ToUpperInvariant();
            outcomes.Add(await processor.ProcessAsync(Change($"evt-{i}", id), CancellationToken.None));
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.Equal(199, outcomes.Count(o => o.Coalesced));
        Assert.False(outcomes[0].Coalesced);
        _time.Advance(_queueOptions.RecheckDelay);
        Assert.Single(await RunDueRechecksAsync());
        await _runner.Received(1).RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>());
        Assert.Equal(0, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_EventAfterTheRecheckTookItsMark_SchedulesAnother()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        await RunDueRechecksAsync();
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(Patched, null));

        var outcome = await processor.ProcessAsync(Change("evt-2", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/restart/action"), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        var recheck = Assert.Single(await RunDueRechecksAsync());

        Assert.False(outcome.Coalesced);
        Assert.Equal(ComplianceStatus.Compliant, recheck.Assessment!.Status);
        Assert.Equal("event-evt-2", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.ScanId);
        Assert.Equal([NotificationTypes.GuestUpdateRequired, NotificationTypes.ActionResolved], _sink.Received.Select(m => m.Type));
    }

    [Fact]
    public async Task ProcessAsync_SameEventAgain_IsADuplicateThatSchedulesNothing()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        await RunDueRechecksAsync();

        var again = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "operation Microsoft.Compute/virtualMachines/write", true, null), again);
        Assert.Equal(0, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(ActionSuccess, "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData(ActionSuccess, "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData("Microsoft.Resources.ResourceWriteFailure", "Microsoft.Compute/virtualMachines/write")]
    public async Task ProcessAsync_IgnoredEvent_TouchesNothingAndIsNotRemembered(string eventType, string operation)
    {
        var leases = Substitute.For<ILeaseStore>();
        var inbox = Substitute.For<IEventInbox>();
        var queue = Substitute.For<IScanBatchQueue>();
        var processor = new ResourceChangeProcessor(inbox, leases, queue, Options.Create(new ScanOptions()), Options.Create(_queueOptions), _time, NullLogger<ResourceChangeProcessor>.Instance);

        var outcome = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value, eventType, operation), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Ignore, outcome.Decision);
        Assert.False(outcome.Duplicate);
        Assert.Empty(leases.ReceivedCalls());
        Assert.Empty(inbox.ReceivedCalls());
        Assert.Empty(queue.ReceivedCalls());
    }

    [Fact]
    public async Task ProcessAsync_SubscriptionOutsideTheConfiguredScope_Ignored()
    {
        var outcome = await Processor(subscriptions: "22222222-2222-2222-2222-222222222222").ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Ignore, outcome.Decision);
        Assert.Equal("a subscription outside the scan's scope", outcome.Reason);
        Assert.Equal(0, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Recheck_ForgedDeleteOfAResourceThatExists_VerdictAndOutboxStayAndAreRefreshed()
    {
        await _store.PutAsync(Stored());

        var outcome = await Processor().ProcessAsync(Delete("evt-del", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        var recheck = Assert.Single(await RunDueRechecksAsync());

        Assert.Equal(ResourceChangeDecision.Remove, outcome.Decision);
        Assert.Equal(ResourceChangeDecision.Recheck, recheck.Decision);
        var stored = await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("event-evt-del", stored.State.ScanId);
        Assert.Equal(_time.GetUtcNow(), stored.State.CheckedAt);
        // The notification that was pending is delivered, not dropped with the verdict.
        Assert.Contains(_sink.Received, m => m.Id == "n-1");
    }

    [Fact]
    public async Task Recheck_ResourceGone404_RemovesItsStateOnly()
    {
        await _store.PutAsync(Stored());
        var other = Resources.Vm("vm-02");
        await _store.PutAsync(Stored() with { Verdict = Stored().Verdict with { Id = other.Id.Value, Name = other.Name } });
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns((InventoryResource?)null);

        await Processor().ProcessAsync(Delete("evt-del", _machine.Id.Value.ToUpperInvariant()), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        var recheck = Assert.Single(await RunDueRechecksAsync());

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Remove, "ARM answered 404", false, null), recheck);
        Assert.Null(await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None));
        Assert.Equal([other.Id.Value], _store.States.Select(s => s.State.ResourceId));
        Assert.Empty(_runner.ReceivedCalls());
    }

    [Fact]
    public async Task Recheck_ReadingArmThrows_NothingRemovedAndTheFailureSurfaces()
    {
        await _store.PutAsync(Stored());
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("ARM answered 500"));
        await Processor().ProcessAsync(Delete("evt-del", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);

        await Assert.ThrowsAsync<HttpRequestException>(() => RunDueRechecksAsync());

        Assert.NotNull(await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None));
        Assert.Single((await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.Outbox);
    }

    [Fact]
    public async Task Recheck_JudgingThrows_NothingStoredAndTheRetryDoesTheWork()
    {
        var rule = new FailingOnceRule();
        var rechecker = Rechecker([.. ComplianceRules.CreateAll(), rule]);
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        var message = Assert.Single(await _rechecks.ReceiveAsync(1, CancellationToken.None));

        await Assert.ThrowsAsync<InvalidOperationException>(() => rechecker.RecheckAsync(ResourceRecheck.Deserialize(message.Text), CancellationToken.None));
        Assert.Empty(_store.States);
        var retry = await rechecker.RecheckAsync(ResourceRecheck.Deserialize(message.Text), CancellationToken.None);

        Assert.Equal(ComplianceStatus.ActionRequired, retry.Assessment!.Status);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, Assert.Single(_sink.Received).Type);
        Assert.Equal(2, rule.Calls);
    }

    [Fact]
    public async Task ProcessAsync_SendingTheRecheckThrows_MarkGivenBackAndEventNotMarked()
    {
        var failing = Substitute.For<IScanBatchQueue>();
        failing.SendAsync(Arg.Any<string>(), Arg.Any<TimeSpan>(), Arg.Any<CancellationToken>()).ThrowsAsync(new IOException("the queue is down"));

        await Assert.ThrowsAsync<IOException>(() => Processor(rechecks: failing).ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None));
        Assert.False(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));

        var retry = await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.False(retry.Coalesced);
        Assert.Equal(1, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Recheck_OfAMarkThatRanOutAndWasTakenAgain_LeavesTheNewerMark()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(TimeSpan.FromHours(1));
        var first = Assert.Single(await _rechecks.ReceiveAsync(1, CancellationToken.None));
        var second = await processor.ProcessAsync(Change("evt-2", _machine.Id.Value), CancellationToken.None);

        await Rechecker().RecheckAsync(ResourceRecheck.Deserialize(first.Text), CancellationToken.None);
        var third = await processor.ProcessAsync(Change("evt-3", _machine.Id.Value), CancellationToken.None);

        Assert.False(second.Coalesced);
        Assert.True(third.Coalesced);
    }

    [Fact]
    public async Task ProcessAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => Processor().ProcessAsync(null!, CancellationToken.None));

    /// <summary>A rule that throws the first time it is evaluated: a broken assumption while judging.</summary>
    private sealed class FailingOnceRule : IComplianceRule
    {
        public int Calls { get; private set; }

        public IEnumerable<Finding> Evaluate(AssessmentContext context)
        {
            if (++Calls == 1)
            {
                throw new InvalidOperationException("the rule broke");
            }

            return [];
        }
    }
}
