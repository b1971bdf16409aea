using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Tests.TestData;
using NSubstitute;
using NSubstitute.ExceptionExtensions;

namespace Compliance.Core.Tests.Scanning;

public sealed class ComplianceScannerTests
{
    private const string UnpatchedLinuxReport = """{"schema":1,"os":"Linux","kernel":"3.10","vulnerabilities":null}""";
    private const string LinuxReport = """{"schema":1,"os":"Linux","kernel":"5.15","vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines"}}""";

    private readonly FanOutHarness _harness = new(batchSize: 8, withSink: false);
    private readonly IResourceInventory _inventory;
    private readonly IGuestCommandRunner _runner;

    public ComplianceScannerTests()
    {
        _inventory = _harness.Inventory;
        _runner = _harness.Runner;

        // The scope is the request's, or every readable subscription.
        _harness.ScanOptions.Subscriptions = null;
    }

    // A batch travels as a queue message, so the machine a check gets is an equal copy, not the listed instance.
    private static Machine Same(Machine machine) => Arg.Is<Machine>(m => m.Id == machine.Id);

    private Task<PipelineScan> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default) =>
        _harness.ScanAsync(request, cancellationToken);

    private void Inventory(string subscription, params InventoryResource[] resources) =>
        _inventory.GetResourcesAsync(subscription, Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream(resources));

    [Fact]
    public async Task ScanAsync_RunningMachine_RunsTheScriptForItsOsAndParsesTheReport()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, machine);
        _runner.RunAsync(Same(machine), GuestScripts.Linux, Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(LinuxReport + "\n", ""));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var assessment = Assert.Single(result.Assessments);
        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Empty(result.Errors);
        await _inventory.DidNotReceive().GetInstanceViewAsync(Arg.Any<Machine>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ScanAsync_NoSubscriptionsGiven_ScansEveryReadableSubscription()
    {
        _inventory.GetSubscriptionsAsync(Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream(new[] { new SubscriptionInfo("a", "A"), new SubscriptionInfo("b", "B") }));
        Inventory("a", Resources.CloudService(Resources.Cscfg("6", "*"), name: "cs-a"));
        Inventory("b", Resources.CloudService(Resources.Cscfg("6", "*"), name: "cs-b"));

        var result = await ScanAsync(ScanRequest.AllSubscriptions, CancellationToken.None);

        Assert.Equal(["cs-a", "cs-b"], result.Assessments.Select(a => a.Resource.Name));
    }

    [Fact]
    public async Task ScanAsync_StoppedMachine_NotRunningWithoutTouchingTheGuest()
    {
        Inventory(Resources.Subscription, Resources.Vm(power: PowerState.Deallocated));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var assessment = Assert.Single(result.Assessments);
        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        Assert.Equal("deallocated", Assert.Single(assessment.Findings).Evidence["powerState"]);
        Assert.Equal(["NOT_RUNNING"], assessment.Codes());
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
        await _inventory.DidNotReceiveWithAnyArgs().GetInstanceViewAsync(default!, default);
    }

    [Fact]
    public async Task ScanAsync_ListingSaysAgentNotReady_AgentUnavailableWithoutRunCommand()
    {
        var machine = Resources.Vm(view: new MachineInstanceView(AgentStatus.NotReady, null));
        Inventory(Resources.Subscription, machine);

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["AGENT_UNAVAILABLE"], Assert.Single(result.Assessments).Codes());
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
    }

    [Fact]
    public async Task ScanAsync_CompliantVmListedWithoutView_ReadsItsViewAndShowsScheduledMaintenance()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux);
        Inventory(Resources.Subscription, machine);
        var window = new MaintenanceWindow(true, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null);
        _inventory.GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>()).Returns(new MachineInstanceView(AgentStatus.Ready, window));
        _runner.RunAsync(Arg.Any<Machine>(), GuestScripts.Linux, Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(LinuxReport, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var assessment = Assert.Single(result.Assessments);
        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["HOST_MAINTENANCE_PENDING"], assessment.Codes());
        await _inventory.Received(1).GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ScanAsync_ViewSaysAgentNotReady_AgentUnavailableWithoutRunCommand()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux);
        Inventory(Resources.Subscription, machine);
        _inventory.GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>()).Returns(new MachineInstanceView(AgentStatus.NotReady, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["AGENT_UNAVAILABLE"], Assert.Single(result.Assessments).Codes());
        await _runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
    }

    [Fact]
    public async Task ScanAsync_MachineNeedingAction_ReadsTheInstanceViewForPlannedMaintenance()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux);
        Inventory(Resources.Subscription, machine);
        var window = new MaintenanceWindow(true, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null);
        _inventory.GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>()).Returns(new MachineInstanceView(AgentStatus.Ready, window));
        _runner.RunAsync(Arg.Any<Machine>(), GuestScripts.Linux, Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(UnpatchedLinuxReport, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var codes = Assert.Single(result.Assessments).Codes();
        Assert.Contains("GUEST_UPDATE_MISSING", codes);
        Assert.Contains("HOST_MAINTENANCE_PENDING", codes);
        await _inventory.Received(1).GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task ScanAsync_InstanceViewReadFails_VerdictStands()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux);
        Inventory(Resources.Subscription, machine);
        _inventory.GetInstanceViewAsync(Same(machine), Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("gone"));
        _runner.RunAsync(Arg.Any<Machine>(), GuestScripts.Linux, Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(UnpatchedLinuxReport, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["GUEST_UPDATE_MISSING"], Assert.Single(result.Assessments).Codes());
    }

    [Fact]
    public async Task ScanAsync_OneMachineThrows_OthersAreStillJudged()
    {
        var broken = Resources.Vm("broken", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));
        var fine = Resources.Vm("fine", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, broken, fine);
        _runner.RunAsync(Same(broken), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).ThrowsAsync(new HttpRequestException("connection reset\nsecond line"));
        _runner.RunAsync(Same(fine), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(LinuxReport, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var failed = result.Assessments.Single(a => a.Resource.Name == "broken");
        Assert.Equal(ComplianceStatus.Unknown, failed.Status);
        var finding = Assert.Single(failed.Findings);
        Assert.Equal(FindingCode.CheckFailed, finding.Code);
        Assert.Contains("HttpRequestException: connection reset", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("second line", finding.Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceStatus.Compliant, result.Assessments.Single(a => a.Resource.Name == "fine").Status);
    }

    [Fact]
    public async Task ScanAsync_RunnerReportsFailure_KeepsItsKind()
    {
        var machine = Resources.Vm(view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, machine);
        _runner.RunAsync(Same(machine), GuestScripts.Windows, Arg.Any<CancellationToken>())
            .Returns(GuestCommandResult.Failed(GuestCheckFailure.Of(GuestCheckFailureKind.AgentUnavailable, "VMAgentStatusCommunicationError")));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["AGENT_UNAVAILABLE"], Assert.Single(result.Assessments).Codes());
    }

    [Fact]
    public async Task ScanAsync_UnreadableOutput_KeepsAnInertExcerptAsEvidence()
    {
        var machine = Resources.Vm("linux-01", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, machine);
        var output = "\u001b[31m<b>boom</b>\n" + new string('z', 500);
        _runner.RunAsync(Same(machine), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(output, "stderr text"));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        var finding = Assert.Single(Assert.Single(result.Assessments).Findings);
        Assert.Equal(FindingCode.OutputUnreadable, finding.Code);
        var excerpt = Assert.IsType<string>(finding.Evidence["stdoutTail"]);
        Assert.Equal(200, excerpt.Length);
        Assert.DoesNotContain(excerpt, char.IsControl);
        Assert.Equal(output.Length, finding.Evidence["stdoutLength"]);
    }

    [Fact]
    public async Task ScanAsync_ReportForAnotherOs_Unreadable()
    {
        var machine = Resources.Vm(os: OsType.Windows, view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, machine);
        _runner.RunAsync(Same(machine), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(GuestCommandResult.Completed(LinuxReport, null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["OUTPUT_UNREADABLE"], Assert.Single(result.Assessments).Codes());
    }

    [Fact]
    public async Task ScanAsync_MachineWithoutOsType_CheckFailed()
    {
        Inventory(Resources.Subscription, Resources.Vm(os: null));

        var result = await ScanAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        Assert.Equal(["CHECK_FAILED"], Assert.Single(result.Assessments).Codes());
    }

    [Fact]
    public async Task ScanAsync_InventoryFailsHalfway_KeepsWhatWasListedAndReportsTheError()
    {
        var first = Resources.CloudService(Resources.Cscfg("6", "*"), name: "first");
        _inventory.GetResourcesAsync("a", Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream(new InventoryResource[] { first }, new InvalidOperationException("page 2 failed")));
        Inventory("b", Resources.CloudService(Resources.Cscfg("6", "*"), name: "second"));

        var result = await ScanAsync(new ScanRequest(["a", "b"]), CancellationToken.None);

        Assert.Equal(["first", "second"], result.Assessments.Select(a => a.Resource.Name));
        var error = Assert.Single(result.Errors);
        Assert.Equal("a", error.Scope);
        Assert.Contains("page 2 failed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScanAsync_SeveralSubscriptions_ListedSideBySide()
    {
        // Subscription a's listing cannot go on until b's has begun: listed one after the other, the scan would hang.
        var bStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _inventory.GetResourcesAsync("a", Arg.Any<CancellationToken>()).Returns(_ => WaitThen(bStarted.Task, Resources.CloudService(Resources.Cscfg("6", "*"), name: "cs-a")));
        _inventory.GetResourcesAsync("b", Arg.Any<CancellationToken>()).Returns(_ =>
        {
            bStarted.TrySetResult();
            return FanOutHarness.Stream(new InventoryResource[] { Resources.CloudService(Resources.Cscfg("6", "*"), name: "cs-b") });
        });

        var result = await ScanAsync(new ScanRequest(["a", "b"]), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["cs-a", "cs-b"], result.Assessments.Select(a => a.Resource.Name));
        Assert.Empty(result.Errors);
    }

    private static async IAsyncEnumerable<InventoryResource> WaitThen(Task gate, InventoryResource resource)
    {
        await gate.WaitAsync(TimeSpan.FromSeconds(20));
        yield return resource;
    }

    [Fact]
    public async Task ScanAsync_SubscriptionListFails_ErrorNotException()
    {
        _inventory.GetSubscriptionsAsync(Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream(Array.Empty<SubscriptionInfo>(), new UnauthorizedAccessException("401")));

        var result = await ScanAsync(ScanRequest.AllSubscriptions, CancellationToken.None);

        Assert.Empty(result.Assessments);
        Assert.Equal("subscriptions", Assert.Single(result.Errors).Scope);
    }

    [Fact]
    public async Task ScanAsync_Concurrency_NeverExceedsTheSetting()
    {
        var machines = Enumerable.Range(0, 24).Select(i => Resources.Vm($"vm-{i:00}", OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null))).ToArray();
        Inventory(Resources.Subscription, machines);
        var running = 0;
        var peak = 0;
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return GuestCommandResult.Completed(LinuxReport, null);
        });

        _harness.ScanOptions.MaxConcurrency = 3;
        _harness.ScanOptions.MaxConcurrentBatches = 1;
        var result = await ScanAsync(new ScanRequest([Resources.Subscription]));

        Assert.Equal(24, result.Assessments.Count);
        Assert.InRange(peak, 2, 3);
    }

    [Fact]
    public async Task ScanAsync_Progress_EndsWithEverythingCompleted()
    {
        Inventory(Resources.Subscription, Resources.CloudService(Resources.Cscfg("6", "*"), name: "a"), Resources.CloudService(Resources.Cscfg("6", "*"), name: "b"));
        var reports = new List<ScanProgress>();
        var progress = new SynchronousProgress(p => { lock (reports) { reports.Add(p); } });

        await _harness.ScanRunner().RunAsync(new ScanRequest([Resources.Subscription]), progress, CancellationToken.None);

        Assert.Contains(new ScanProgress(2, 2, true), reports);
        Assert.All(reports, p => Assert.True(p.Completed <= p.Discovered));
    }

    [Fact]
    public async Task ScanAsync_Cancelled_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        var machine = Resources.Vm(view: new MachineInstanceView(AgentStatus.Ready, null));
        Inventory(Resources.Subscription, machine);
        _runner.RunAsync(Same(machine), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            await cancellation.CancelAsync();
            await Task.Delay(Timeout.Infinite, call.ArgAt<CancellationToken>(2));
            return GuestCommandResult.Completed(string.Empty, null);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScanAsync(new ScanRequest([Resources.Subscription]), cancellation.Token));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class SynchronousProgress(Action<ScanProgress> report) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value) => report(value);
    }
}
