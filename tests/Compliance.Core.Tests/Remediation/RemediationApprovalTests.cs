using Compliance.Core.Remediation;
using Compliance.Core.Rules;

namespace Compliance.Core.Tests.Remediation;

public sealed class RemediationApprovalTests
{
    private static readonly RemediationRequest GuestUpdate = new(RemediationAction.GuestUpdate, RemediationFilter.All);

    [Fact]
    public async Task NothingRunsBeforeApproval_EvenWhenAStepMessageIsForged()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);

        var queued = await h.Queue.CountAsync(CancellationToken.None);
        await h.Runner.RunAsync(new RemediationStepMessage(plan.Id, RemediationHarness.VmId("vm-a")), CancellationToken.None);

        Assert.Equal(0, queued);
        Assert.Empty(h.Installer.Calls);
        Assert.Equal(0, h.Restarter.Calls);
        Assert.Equal(RemediationStepStatus.Pending, Assert.Single(await h.StepsAsync(plan.Id)).Status);
        Assert.Equal(RemediationPlanState.Proposed, (await h.PlanAsync(plan.Id)).State);
    }

    [Fact]
    public async Task Approve_OnlyAProposedPlan_RecordsWhoAndWhen_AndQueuesOneMessagePerStepToRun()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-b"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync($"/subscriptions/{RemediationHarness.Sub}/resourceGroups/rg-test/providers/Microsoft.Compute/cloudServices/cs", "ActionRequired", ["GuestUpdate"], kind: "CloudService");
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);

        var approved = await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);
        var again = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None));
        var missing = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ApproveAsync("rem-20260101000000-00000000", "bob", CancellationToken.None));

        Assert.Equal(RemediationPlanState.Approved, approved.State);
        Assert.Equal("bob", approved.ApprovedBy);
        Assert.Equal(h.Time.GetUtcNow(), approved.ApprovedAt);
        Assert.Equal(["Proposed", "Approved"], approved.Events.Select(e => e.Kind));
        Assert.Equal(2, await h.Queue.CountAsync(CancellationToken.None));
        Assert.Equal(RemediationRefusalKind.Conflict, again.Kind);
        Assert.Equal(RemediationRefusalKind.NotFound, missing.Kind);
    }

    [Fact]
    public async Task ACancelledPlanCannotBeApproved_AndItsStepsAreSkipped()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);

        var cancelled = await h.Service.CancelAsync(plan.Id, "carol", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None));
        var cancelAgain = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.CancelAsync(plan.Id, "carol", CancellationToken.None));

        Assert.Equal(RemediationPlanState.Cancelled, cancelled.State);
        Assert.Equal(1, cancelled.Counts.Skipped);
        Assert.Contains("carol", Assert.Single(await h.StepsAsync(plan.Id)).Reason, StringComparison.Ordinal);
        Assert.Equal(RemediationRefusalKind.Conflict, refused.Kind);
        Assert.Equal(RemediationRefusalKind.Conflict, cancelAgain.Kind);
        Assert.Empty(h.Installer.Calls);
    }

    [Fact]
    public async Task WithADifferentApproverRequired_TheAuthorCannotApprove_AnotherOperatorCan()
    {
        await using var h = new RemediationHarness(o => o.RequireDifferentApprover = true);
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        var (plan, _) = await h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None);

        var own = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ApproveAsync(plan.Id, "ALICE", CancellationToken.None));
        var other = await h.Service.ApproveAsync(plan.Id, "bob", CancellationToken.None);

        Assert.Equal(RemediationRefusalKind.Forbidden, own.Kind);
        Assert.Contains("RequireDifferentApprover", own.Message, StringComparison.Ordinal);
        Assert.Equal("bob", other.ApprovedBy);
    }

    [Fact]
    public async Task WhenOff_EveryOperationIsRefusedSayingHowToTurnItOn_AndNoStepRuns()
    {
        await using var on = new RemediationHarness();
        await on.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await using var h = new RemediationHarness(o => o.Enabled = false);
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);

        var refusals = new[]
        {
            await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(GuestUpdate, "alice", CancellationToken.None)),
            await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ApproveAsync("rem-20260101000000-00000000", "alice", CancellationToken.None)),
            await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.CancelAsync("rem-20260101000000-00000000", "alice", CancellationToken.None)),
            await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.GetAsync("rem-20260101000000-00000000", CancellationToken.None)),
            await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ListAsync(10, CancellationToken.None)),
        };
        await h.Runner.RunAsync(new RemediationStepMessage("rem-20260101000000-00000000", RemediationHarness.VmId("vm-a")), CancellationToken.None);

        Assert.All(refusals, r =>
        {
            Assert.Equal(RemediationRefusalKind.Off, r.Kind);
            Assert.Contains(RemediationOptions.EnabledVariable, r.Message, StringComparison.Ordinal);
        });
        Assert.Empty(h.Installer.Calls);
    }
}
