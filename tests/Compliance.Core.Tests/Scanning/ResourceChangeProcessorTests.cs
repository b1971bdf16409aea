using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
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

/// <summary>One resource event: re-checked from a fresh read, stored and notified once per event id; a failure lets the retry redo it.</summary>
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
    private readonly Machine _machine = Resources.Vm("vm-01", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));

    public ResourceChangeProcessorTests()
    {
        _writes = new InterceptedVerdictStore(_store);
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns(_machine);
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(Unpatched, null));
    }

    private ResourceChangeProcessor Processor(IEnumerable<IComplianceRule>? rules = null, string? subscriptions = null)
    {
        var sinks = new INotificationSink[] { _sink };
        var options = Options.Create(new ScanOptions { Subscriptions = subscriptions });
        var assessor = rules is null ? Judge.Assessor(time: _time) : new ComplianceAssessor(rules, Options.Create(new RulesOptions()), _time);
        var scanner = new ComplianceScanner(_inventory, _runner, assessor, options, _time, NullLogger<ComplianceScanner>.Instance);
        var policy = new NotificationPolicy(Options.Create(new NotificationOptions()));
        return new ResourceChangeProcessor(
            _inventory,
            scanner,
            new ComplianceRecorder(_writes, policy, sinks, NullLogger<ComplianceRecorder>.Instance),
            new NotificationDispatcher(_writes, new InMemoryScanLedger(), new InMemoryLeaseStore(), sinks, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance),
            _writes,
            _inbox,
            options,
            _time,
            NullLogger<ResourceChangeProcessor>.Instance);
    }

    private static ResourceChange Change(string eventId, string resourceId, string eventType = WriteSuccess, string? operation = "Microsoft.Compute/virtualMachines/write") =>
        new(eventId, eventType, resourceId, operation, new DateTimeOffset(2026, 11, 21, 9, 59, 0, TimeSpan.Zero));

    private ResourceState Stored(string status = "Compliant") =>
        new(
            new ReportResource(_machine.Id.Value, "VirtualMachine", _machine.Name, "Linux", status, [], [], Resources.Subscription, "rg-test", "westeurope", _time.GetUtcNow().AddDays(-1)),
            "scan-0",
            null,
            [],
            [],
            []);

    [Fact]
    public async Task ProcessAsync_Write_JudgesTheFreshResourceStoresItAndNotifies()
    {
        var outcome = await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Recheck, outcome.Decision);
        Assert.Equal("operation Microsoft.Compute/virtualMachines/write", outcome.Reason);
        Assert.False(outcome.Duplicate);
        Assert.NotNull(outcome.Assessment);
        Assert.Equal(ComplianceStatus.ActionRequired, outcome.Assessment.Status);
        Assert.Equal(_machine.Id, outcome.Assessment.ResourceId);
        await _inventory.Received(1).GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>());
        await _runner.Received(1).RunAsync(Arg.Is<Machine>(m => m.Id == _machine.Id), GuestScripts.Linux, Arg.Any<CancellationToken>());

        var stored = await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal("event-evt-1", stored.State.ScanId);
        Assert.Equal("ActionRequired", stored.State.Verdict.Status);
        Assert.Equal(_time.GetUtcNow(), stored.State.CheckedAt);
        Assert.Empty(stored.State.Outbox);

        var message = Assert.Single(_sink.Received);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, message.Type);
        Assert.Equal(_machine.Id.Value, message.Subject);
        var history = Assert.Single(_store.History);
        Assert.Equal("event-evt-1", history.ScanId);
        Assert.True(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_CloudServiceStart_JudgedWithoutAGuestCommand()
    {
        var service = Resources.CloudService(Resources.Cscfg("6", "*"));
        _inventory.GetResourceAsync(service.Id, Arg.Any<CancellationToken>()).Returns(service);

        var outcome = await Processor().ProcessAsync(Change("evt-cs", service.Id.Value, ActionSuccess, "Microsoft.Compute/cloudServices/start/action"), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Recheck, outcome.Decision);
        Assert.Equal(ComplianceStatus.Compliant, outcome.Assessment!.Status);
        Assert.Equal("event-evt-cs", (await _store.GetStateAsync(service.Id.Value, CancellationToken.None))!.State.ScanId);
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
    }

    [Fact]
    public async Task ProcessAsync_SameEventAgain_IsADuplicateThatTouchesNothing()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _inventory.ClearReceivedCalls();
        _runner.ClearReceivedCalls();
        var version = (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.ETag;
        _time.Advance(TimeSpan.FromMinutes(5));

        var again = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "operation Microsoft.Compute/virtualMachines/write", true, null), again);
        await _inventory.DidNotReceiveWithAnyArgs().GetResourceAsync(default, default);
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
        Assert.Equal(version, (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.ETag);
        Assert.Single(_sink.Received);
        Assert.Equal(1, _sink.Calls);
        Assert.Equal("event-evt-1", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.ScanId);
    }

    [Fact]
    public async Task ProcessAsync_AnotherEventForTheSameResource_IsHandled()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(Patched, null));
        _time.Advance(TimeSpan.FromMinutes(5));

        var outcome = await processor.ProcessAsync(Change("evt-2", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/restart/action"), CancellationToken.None);

        Assert.False(outcome.Duplicate);
        Assert.Equal(ComplianceStatus.Compliant, outcome.Assessment!.Status);
        var stored = await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None);
        Assert.Equal("event-evt-2", stored!.State.ScanId);
        Assert.Equal([NotificationTypes.GuestUpdateRequired, NotificationTypes.ActionResolved], _sink.Received.Select(m => m.Type));
    }

    [Theory]
    [InlineData(ActionSuccess, "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData(ActionSuccess, "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData("Microsoft.Resources.ResourceWriteFailure", "Microsoft.Compute/virtualMachines/write")]
    public async Task ProcessAsync_IgnoredEvent_TouchesNothingAndIsNotRemembered(string eventType, string operation)
    {
        var verdicts = Substitute.For<IVerdictStore>();
        var ledger = Substitute.For<IScanLedger>();
        var leases = Substitute.For<ILeaseStore>();
        var inbox = Substitute.For<IEventInbox>();
        var processor = new ResourceChangeProcessor(
            _inventory,
            new ComplianceScanner(_inventory, _runner, Judge.Assessor(time: _time), Options.Create(new ScanOptions()), _time, NullLogger<ComplianceScanner>.Instance),
            new ComplianceRecorder(verdicts, new NotificationPolicy(Options.Create(new NotificationOptions())), [_sink], NullLogger<ComplianceRecorder>.Instance),
            new NotificationDispatcher(verdicts, ledger, leases, [_sink], TimeProvider.System, NullLogger<NotificationDispatcher>.Instance),
            verdicts,
            inbox,
            Options.Create(new ScanOptions()),
            _time,
            NullLogger<ResourceChangeProcessor>.Instance);

        var outcome = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value, eventType, operation), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Ignore, outcome.Decision);
        Assert.False(outcome.Duplicate);
        Assert.Null(outcome.Assessment);
        Assert.Empty(verdicts.ReceivedCalls());
        Assert.Empty(ledger.ReceivedCalls());
        Assert.Empty(leases.ReceivedCalls());
        Assert.Empty(inbox.ReceivedCalls());
        Assert.Empty(_inventory.ReceivedCalls());
        Assert.Empty(_runner.ReceivedCalls());
        Assert.Equal(0, _sink.Calls);
    }

    [Fact]
    public async Task ProcessAsync_IgnoredEvent_DoesNotMarkTheIdSoALaterEventWithItIsHandled()
    {
        var processor = Processor();
        await processor.ProcessAsync(Change("evt-1", _machine.Id.Value, ActionSuccess, "Microsoft.Compute/virtualMachines/runCommand/action"), CancellationToken.None);

        Assert.False(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.Empty(_store.States);
        var outcome = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);
        Assert.False(outcome.Duplicate);
        Assert.Single(_store.States);
    }

    [Fact]
    public async Task ProcessAsync_SubscriptionOutsideTheConfiguredScope_Ignored()
    {
        var outcome = await Processor(subscriptions: "22222222-2222-2222-2222-222222222222").ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Ignore, outcome.Decision);
        Assert.Equal("a subscription outside the scan's scope", outcome.Reason);
        Assert.Empty(_inventory.ReceivedCalls());
        Assert.Empty(_store.States);
    }

    [Fact]
    public async Task ProcessAsync_WriteOfAResourceGoneSince_RemovesItsState()
    {
        await _store.PutAsync(Stored());
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).Returns((InventoryResource?)null);

        var outcome = await Processor().ProcessAsync(Change("evt-1", _machine.Id.Value.ToUpperInvariant()), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Remove, outcome.Decision);
        Assert.False(outcome.Duplicate);
        Assert.Null(outcome.Assessment);
        Assert.Empty(_store.States);
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
        Assert.Empty(_sink.Received);
        Assert.True(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_Delete_RemovesTheStateWithoutReadingArm()
    {
        await _store.PutAsync(Stored());
        var other = Resources.Vm("vm-02");
        await _store.PutAsync(Stored() with { Verdict = Stored().Verdict with { Id = other.Id.Value, Name = other.Name } });

        var outcome = await Processor().ProcessAsync(Change("evt-del", _machine.Id.Value, DeleteSuccess, "Microsoft.Compute/virtualMachines/delete"), CancellationToken.None);

        Assert.Equal(new ResourceChangeOutcome(ResourceChangeDecision.Remove, "the resource was deleted", false, null), outcome);
        Assert.Null(await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None));
        Assert.Equal([other.Id.Value], _store.States.Select(s => s.State.ResourceId));
        Assert.Empty(_inventory.ReceivedCalls());
        Assert.Empty(_runner.ReceivedCalls());
        Assert.True(await _inbox.IsEventHandledAsync("evt-del", CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_DeleteOfAResourceNeverStored_IsFine()
    {
        var outcome = await Processor().ProcessAsync(Change("evt-del", _machine.Id.Value, DeleteSuccess, "Microsoft.Compute/virtualMachines/delete"), CancellationToken.None);

        Assert.Equal(ResourceChangeDecision.Remove, outcome.Decision);
        Assert.True(await _inbox.IsEventHandledAsync("evt-del", CancellationToken.None));
    }

    [Fact]
    public async Task ProcessAsync_JudgingThrows_EventNotMarkedSoTheRetryDoesTheWork()
    {
        var rule = new FailingOnceRule();
        var processor = Processor([.. ComplianceRules.CreateAll(), rule]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None));

        Assert.False(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.Empty(_store.States);
        Assert.Empty(_sink.Received);

        var retry = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.False(retry.Duplicate);
        Assert.Equal(ComplianceStatus.ActionRequired, retry.Assessment!.Status);
        Assert.Equal("event-evt-1", (await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None))!.State.ScanId);
        Assert.Equal(NotificationTypes.GuestUpdateRequired, Assert.Single(_sink.Received).Type);
        Assert.True(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.Equal(2, rule.Calls);
    }

    [Fact]
    public async Task ProcessAsync_StoringThrows_EventNotMarkedSoTheRetryDoesTheWork()
    {
        var processor = Processor();
        _writes.BeforeWrite = _ => throw new IOException("the table is down");

        await Assert.ThrowsAsync<IOException>(() => processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None));

        Assert.False(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        _writes.BeforeWrite = null;
        var retry = await processor.ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None);

        Assert.False(retry.Duplicate);
        Assert.NotNull(await _store.GetStateAsync(_machine.Id.Value, CancellationToken.None));
        Assert.Single(_sink.Received);
    }

    [Fact]
    public async Task ProcessAsync_ReadingArmThrows_EventNotMarked()
    {
        _inventory.GetResourceAsync(_machine.Id, Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("ARM is down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => Processor().ProcessAsync(Change("evt-1", _machine.Id.Value), CancellationToken.None));

        Assert.False(await _inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.Empty(_sink.Received);
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
