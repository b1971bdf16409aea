using Compliance.Core.Notifications;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;

namespace Compliance.Core.Tests.Remediation;

public sealed class RemediationRunnerTests
{
    private static readonly RemediationRequest GuestUpdate = new(RemediationAction.GuestUpdate, RemediationFilter.All);

    [Fact]
    public async Task ApprovedPlan_RunsEachMachineOnce_VerifiesIt_CompletesAndNotifiesOnce_EvenWhenMessagesComeAgain()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-b"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate with { MaximumDuration = TimeSpan.FromMinutes(90) }, "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);

        await h.DrainAsync();
        foreach (var id in new[] { "vm-a", "vm-b" })
        {
            // Redelivered after the steps finished: nothing runs again, nothing is published again.
            await h.Runner.RunAsync(new RemediationStepMessage(plan.Id, RemediationHarness.VmId(id)), CancellationToken.None);
        }

        var done = await h.PlanAsync(plan.Id);
        var steps = await h.StepsAsync(plan.Id);
        Assert.Equal(2, h.Installer.Calls.Count);
        Assert.All(h.Installer.Calls, c => Assert.Equal(new PatchInstallation(TimeSpan.FromMinutes(90), RebootSetting.IfRequired), c.Request));
        Assert.Equal(0, h.Restarter.Calls);
        Assert.All(steps, s =>
        {
            Assert.Equal(RemediationStepStatus.Succeeded, s.Status);
            Assert.Equal(4, s.PatchResult!.InstalledPatchCount);
            Assert.NotNull(s.Verification);
        });
        Assert.Equal(RemediationPlanState.Completed, done.State);
        Assert.Equal(["Proposed", "Approved", "Started", "Completed"], done.Events.Select(e => e.Kind));
        var completed = Assert.Single(h.Sink.Received, m => m.Type == NotificationTypes.RemediationCompleted);
        Assert.Equal($"/remediations/{plan.Id}", completed.Subject);
        Assert.Contains("\"succeeded\":2", completed.DataJson, StringComparison.Ordinal);
        Assert.Contains("\"approvedBy\":\"bob\"", completed.DataJson, StringComparison.Ordinal);

        // The verifying check stored a new verdict, the same way a re-check does.
        var stored = await h.Verdicts.GetStateAsync(RemediationHarness.VmId("vm-a"), CancellationToken.None);
        Assert.Equal($"remediation-{plan.Id}", stored!.State.ScanId);
    }

    [Fact]
    public async Task TwoDeliveriesForOneMachineAtOnce_OneRuns_TheOtherComesBackLater()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);
        var message = Assert.Single(await h.Queue.ReceiveAsync(16, CancellationToken.None));
        await h.Queue.DeleteAsync(message, CancellationToken.None);
        var gate = new TaskCompletionSource();
        h.Installer.Gate = gate.Task;

        var first = h.Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None);
        await h.Installer.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        // Bounded only so that a second run which waited on the first would fail the test instead of hanging it.
        await h.Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var whileHeld = h.Installer.Calls.Count;
        var waiting = await h.Queue.CountAsync(CancellationToken.None);
        gate.SetResult();
        await first;
        h.Time.Advance(TimeSpan.FromMinutes(3));
        await h.DrainAsync();

        Assert.Equal(1, whileHeld);
        Assert.Equal(1, waiting);
        Assert.Single(h.Installer.Calls);
        Assert.Equal(RemediationPlanState.Completed, (await h.PlanAsync(plan.Id)).State);
    }

    [Fact]
    public async Task AFailingMachine_KeepsItsVerdict_AndThePlanSaysWhy()
    {
        await using var h = new RemediationHarness();
        var before = await h.SeedAsync(RemediationHarness.VmId("vm-bad"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-good"), "ActionRequired", ["GuestUpdate"]);
        h.Installer.Failing.Add(RemediationHarness.VmId("vm-bad"));
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);

        await h.DrainAsync();

        var bad = Assert.Single(await h.StepsAsync(plan.Id), s => s.ResourceId == RemediationHarness.VmId("vm-bad"));
        Assert.Equal(RemediationStepStatus.Failed, bad.Status);
        Assert.Contains("emulated failure", bad.Reason, StringComparison.Ordinal);
        Assert.Null(bad.Verification);
        var stored = await h.Verdicts.GetStateAsync(RemediationHarness.VmId("vm-bad"), CancellationToken.None);
        Assert.Equal(before, stored!.State.Verdict);
        var done = await h.PlanAsync(plan.Id);
        Assert.Equal(RemediationPlanState.Completed, done.State);
        Assert.Equal(1, done.Counts.Failed);
        Assert.Equal(1, done.Counts.Succeeded);
        var completed = Assert.Single(h.Sink.Received, m => m.Type == NotificationTypes.RemediationCompleted);
        Assert.Contains("vm-bad", completed.DataJson, StringComparison.Ordinal);
        Assert.Contains("emulated failure", completed.DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASinkThatFails_GetsTheCompletionOnTheNextDelivery_Once()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);
        var message = Assert.Single(await h.Queue.ReceiveAsync(16, CancellationToken.None));
        h.Sink.Failing = true;

        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None));
        var whileDown = h.Sink.Received.Count(m => m.Type == NotificationTypes.RemediationCompleted);
        h.Sink.Failing = false;
        await h.Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None);
        await h.Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None);

        Assert.Equal(0, whileDown);
        Assert.Single(h.Sink.Received, m => m.Type == NotificationTypes.RemediationCompleted);
        Assert.Single(h.Installer.Calls);
        Assert.Empty((await h.PlanAsync(plan.Id)).Completion!.PendingSinks);
    }

    [Fact]
    public async Task WindowsScripts_RunByName_ThenTheMachineRestarts_AndTheCheckWaitsForIt()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-win"), "ActionRequired", ["KvaShadowing"], findings: RemediationHarness.Finding("KVA_SHADOWING_REQUIRED"));
        var (plan, _) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.KvaShadowing, RemediationFilter.All), "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);

        await h.DrainAsync();
        var waiting = Assert.Single(await h.StepsAsync(plan.Id));
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.DrainAsync();
        var verified = Assert.Single(await h.StepsAsync(plan.Id));

        Assert.Equal(1, h.Guest.ScriptRuns);
        Assert.Equal(1, h.Restarter.Calls);
        Assert.Equal(RemediationStepStatus.Succeeded, waiting.Status);
        Assert.Equal("Restarted", waiting.Restart);
        Assert.Null(waiting.Verification);
        Assert.Equal("72", Assert.Single(waiting.Scripts).Settings![0].Value);
        Assert.NotNull(verified.Verification);
        Assert.Equal(RemediationPlanState.Completed, (await h.PlanAsync(plan.Id)).State);
    }

    [Fact]
    public async Task NeverReboot_LeavesTheRestartToTheOwner_AndSaysRebootPending()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-win"), "ActionRequired", ["KvaShadowing"], findings: RemediationHarness.Finding("KVA_SHADOWING_REQUIRED"));
        var (plan, _) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.KvaShadowing, RemediationFilter.All, RebootSetting.Never), "alice", CancellationToken.None);
        await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);

        await h.DrainAsync();

        var step = Assert.Single(await h.StepsAsync(plan.Id));
        Assert.Equal(0, h.Restarter.Calls);
        Assert.Contains("Reboot pending", step.Reason, StringComparison.Ordinal);
        Assert.NotNull(step.Verification);
    }
}
