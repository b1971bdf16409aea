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

    private const string OwnId = "0b1e6c1e-6f3a-4d52-9a55-5f7c2f0d8e11";
    private const string OperatorId = "7d3c9f4e-2a61-4b8e-8f0a-3c5e1d2b4a77";

    private readonly ResourceChangeCounters _counters = new();

    private RecheckScheduler Scheduler(IScanBatchQueue? rechecks = null, ILeaseStore? leases = null) =>
        new(leases ?? _leases, rechecks ?? _rechecks, _time, NullLogger<RecheckScheduler>.Instance);

    private ResourceChangeProcessor Processor(string? subscriptions = null, IScanBatchQueue? rechecks = null, string? ownId = OwnId) =>
        new(_inbox, Scheduler(rechecks), new FixedAppIdentity(ownId), _counters, Options.Create(new ScanOptions { Subscriptions = subscriptions }), Options.Create(_queueOptions), _time, NullLogger<ResourceChangeProcessor>.Instance);

    private ResourceRechecker Rechecker(IEnumerable<IComplianceRule>? rules = null, string? subscriptions = null)
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
            Scheduler(),
            Options.Create(new ScanOptions { Subscriptions = subscriptions }),
            Options.Create(_queueOptions),
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

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "operation Microsoft.Compute/virtualMachines/write", false, null) { Target = _machine.Id.Value }, outcome);
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

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "operation Microsoft.Compute/virtualMachines/write", true, null) { Target = _machine.Id.Value }, again);
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
        var processor = new ResourceChangeProcessor(inbox, Scheduler(queue, leases), new FixedAppIdentity(OwnId), _counters, Options.Create(new ScanOptions()), Options.Create(_queueOptions), _time, NullLogger<ResourceChangeProcessor>.Instance);

        var outcome = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value, eventType, operation) with { Caller = OwnId }, CancellationToken.None);

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
    public async Task ScaleSetEvent_RechecksEveryListedInstanceAndEveryStoredOneThatIsGone_OneRunCommandEach()
    {
        var scaleSet = new ResourceId(Resources.Instance().Id.Value[..Resources.Instance().Id.Value.LastIndexOf("/virtualMachines/", StringComparison.Ordinal)]);
        var listed = new[] { Resources.Instance(instanceId: "0"), Resources.Instance(instanceId: "1") };
        var gone = Resources.Instance(instanceId: "7");
        foreach (var instance in listed)
        {
            _inventory.GetResourceAsync(instance.Id, Arg.Any<CancellationToken>()).Returns(instance);
        }

        _inventory.GetResourceAsync(gone.Id, Arg.Any<CancellationToken>()).Returns((InventoryResource?)null);
        _inventory.GetScaleSetInstanceIdsAsync(scaleSet, Arg.Any<CancellationToken>()).Returns([.. listed.Select(i => i.Id)]);
        await _store.PutAsync(Stored() with { Verdict = Stored().Verdict with { Id = gone.Id.Value, Name = gone.Name } });
        var processor = Processor();

        // A burst of the set's operations and one of an instance's own: one re-check per instance in all.
        var first = await processor.ProcessAsync(Change("evt-1", scaleSet.Value, ActionSuccess, "Microsoft.Compute/virtualMachineScaleSets/reimageAll/action"), CancellationToken.None);
        var second = await processor.ProcessAsync(Change("evt-2", scaleSet.Value + "/extensions/ext", WriteSuccess, "Microsoft.Compute/virtualMachineScaleSets/extensions/write"), CancellationToken.None);
        await processor.ProcessAsync(Change("evt-3", listed[0].Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimage/action"), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        var fanOut = await RunDueRechecksAsync();
        var instances = await RunDueRechecksAsync();

        Assert.Equal(ResourceChangeDecision.RecheckScaleSet, first.Decision);
        Assert.Equal(scaleSet.Value, first.Target);
        Assert.True(second.Coalesced);
        Assert.Equal(2, fanOut.Count);
        var setOutcome = Assert.Single(fanOut, o => o.Decision == ResourceChangeDecision.RecheckScaleSet);
        Assert.Equal(2, setOutcome.InstancesScheduled);
        Assert.Single(instances, o => o.Decision == ResourceChangeDecision.Remove);
        Assert.Single(instances, o => o.Decision == ResourceChangeDecision.Recheck);
        await _runner.Received(2).RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>());
        Assert.Null(await _store.GetStateAsync(gone.Id.Value, CancellationToken.None));
        Assert.All(listed, i => Assert.NotNull(_store.States.SingleOrDefault(s => s.State.ResourceId == i.Id.Value)));
        Assert.Equal(0, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ScaleSetEvent_SetItselfGone_RemovesTheStoredInstances()
    {
        var gone = Resources.Instance(instanceId: "4");
        var scaleSet = new ResourceId(gone.Id.Value[..gone.Id.Value.LastIndexOf("/virtualMachines/", StringComparison.Ordinal)]);
        _inventory.GetScaleSetInstanceIdsAsync(scaleSet, Arg.Any<CancellationToken>()).Returns((IReadOnlyList<ResourceId>?)null);
        _inventory.GetResourceAsync(gone.Id, Arg.Any<CancellationToken>()).Returns((InventoryResource?)null);
        await _store.PutAsync(Stored() with { Verdict = Stored().Verdict with { Id = gone.Id.Value, Name = gone.Name } });
        await _store.PutAsync(Stored());

        await Processor().ProcessAsync(Change("evt-1", scaleSet.Value, DeleteSuccess, "Microsoft.Compute/virtualMachineScaleSets/delete"), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);
        await RunDueRechecksAsync();
        await RunDueRechecksAsync();

        Assert.Equal([_machine.Id.Value], _store.States.Select(s => s.State.ResourceId));
        Assert.Empty(_runner.ReceivedCalls());
    }

    [Fact]
    public async Task Recheck_AgentNotReadyAfterARestart_KeepsTheVerdictAndTriesAgainUntilTheAgentIsUp()
    {
        await _store.PutAsync(Stored());
        var notReady = _machine with { InstanceView = new MachineInstanceView(AgentStatus.NotReady, null) };
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(notReady);
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/restart/action"), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);

        var firstTry = Assert.Single(await RunDueRechecksAsync());
        Assert.True(firstTry.Settling);
        Assert.Equal("Compliant", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.Verdict.Status);
        Assert.Equal("scan-0", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.ScanId);

        // The second try is due 2 minutes later (the first delay of the schedule), not before.
        _time.Advance(TimeSpan.FromMinutes(2) - TimeSpan.FromSeconds(1));
        Assert.Empty(await RunDueRechecksAsync());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(Assert.Single(await RunDueRechecksAsync()).Settling);

        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(_machine);
        _time.Advance(TimeSpan.FromMinutes(5));
        var settled = Assert.Single(await RunDueRechecksAsync());

        Assert.False(settled.Settling);
        Assert.Equal(ComplianceStatus.ActionRequired, settled.Assessment!.Status);
        Assert.Equal("event-evt-1", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.ScanId);
        await _runner.Received(1).RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Recheck_AgentNeverReady_StoresAgentUnavailableOnceTheScheduleIsSpent()
    {
        var notReady = _machine with { InstanceView = new MachineInstanceView(AgentStatus.NotReady, null) };
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(notReady);
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/start/action"), CancellationToken.None);

        var outcomes = new List<ResourceChangeOutcome>();
        foreach (var wait in new[] { 2, 2, 5, 15 })
        {
            _time.Advance(TimeSpan.FromMinutes(wait));
            outcomes.AddRange(await RunDueRechecksAsync());
        }

        Assert.Equal([true, true, true, false], outcomes.Select(o => o.Settling));
        Assert.Contains(outcomes[^1].Assessment!.Findings, f => f.Code == FindingCode.AgentUnavailable);
        Assert.Equal(0, await _rechecks.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Recheck_MachineStarting_SettlesToo()
    {
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(_machine with { PowerState = PowerState.Starting });
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/start/action"), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);

        Assert.True(Assert.Single(await RunDueRechecksAsync()).Settling);
        Assert.Empty(_store.States);
    }

    [Fact]
    public async Task Recheck_WithoutASettleSchedule_StoresTheFirstOutcome()
    {
        _queueOptions.SettleRetries = string.Empty;
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(_machine with { InstanceView = new MachineInstanceView(AgentStatus.NotReady, null) });
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);

        Assert.False(Assert.Single(await RunDueRechecksAsync()).Settling);
        Assert.Equal("Unknown", Assert.Single(_store.States).State.Verdict.Status);
    }

    [Theory]
    [InlineData(OperatorId, OwnId, ResourceChangeDecision.Recheck)]
    [InlineData(OwnId, OwnId, ResourceChangeDecision.Ignore)]
    [InlineData(OperatorId, null, ResourceChangeDecision.Ignore)]
    [InlineData(null, OwnId, ResourceChangeDecision.Ignore)]
    public async Task ProcessAsync_RunCommand_RechecksOnlyWhenSomeoneElseCalledIt(string? caller, string? ownId, ResourceChangeDecision expected)
    {
        var change = Change("evt-1", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/runCommand/action") with { Caller = caller };

        var outcome = await Processor(ownId: ownId).ProcessAsync(change, CancellationToken.None);

        Assert.Equal(expected, outcome.Decision);
        Assert.Equal(expected == ResourceChangeDecision.Recheck ? 1 : 0, await _rechecks.CountAsync(CancellationToken.None));
        Assert.Equal(expected == ResourceChangeDecision.Ignore ? 1 : 0, _counters.Count(ResourceChangeDecision.Ignore, ResourceChangeIgnoreKind.OwnCall));
    }

    [Fact]
    public async Task ProcessAsync_EveryEventIsCounted_IgnoredOnesWithWhy()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        await processor.ProcessAsync(Change("evt-2", _machine.Id.Value), CancellationToken.None);
        await processor.ProcessAsync(Change("evt-3", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/deallocate/action"), CancellationToken.None);
        await processor.ProcessAsync(Change("evt-4", $"/subscriptions/{Resources.Subscription}/resourceGroups/rg-test/providers/Microsoft.Network/networkInterfaces/nic", operation: "Microsoft.Network/networkInterfaces/write"), CancellationToken.None);
        await processor.ProcessAsync(Change("evt-5", _machine.Id.Value, "Microsoft.Resources.ResourceWriteFailure"), CancellationToken.None);

        Assert.Equal(2, _counters.Count(ResourceChangeDecision.Recheck));
        Assert.Equal(1, _counters.Count(ResourceChangeDecision.Ignore, ResourceChangeIgnoreKind.Operation));
        Assert.Equal(1, _counters.Count(ResourceChangeDecision.Ignore, ResourceChangeIgnoreKind.NotJudged));
        Assert.Equal(1, _counters.Count(ResourceChangeDecision.Ignore, ResourceChangeIgnoreKind.EventType));
    }

    [Fact]
    public async Task Recheck_MessageForAResourceOutsideTheScope_IsRefused()
    {
        await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _time.Advance(_queueOptions.RecheckDelay);

        var outcome = Assert.Single(await RunDueRechecksAsync(Rechecker(subscriptions: "22222222-2222-2222-2222-222222222222")));

        Assert.Equal(ResourceChangeDecision.Ignore, outcome.Decision);
        Assert.Empty(_inventory.ReceivedCalls());
        Assert.Empty(_store.States);
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
