using Compliance.Core.Notifications;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="IRemediationStore"/> does, run against the Table store on Azurite and against the one in memory.
/// </summary>
public abstract class RemediationStoreContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private const string Vm = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/";

    /// <summary>The store under test; every instance it returns sees the same data.</summary>
    protected abstract IRemediationStore Store { get; }

    [Fact]
    public async Task CreateAndRead_RoundTripsPlanAndSteps()
    {
        var plan = Plan("rem-20261201090000-aaaa0001", _t0);
        var steps = Enumerable.Range(0, 130).Select(i => Step(plan.Id, Vm + $"vm-{i:D3}")).ToList();
        steps[0] = steps[0] with
        {
            Status = RemediationStepStatus.Succeeded,
            PatchResult = new PatchInstallationResult("Succeeded", "Completed", 3, 0, 0, false, "act-1", _t0, null),
            Scripts = [new RemediationScriptRun("windows-mds", "AB12", "sets MDS") { Settings = [new RemediationSetting("FeatureSettingsOverride", "72", "3")] }],
            Explained = ["boot parameter: explained"],
            Verification = new RemediationVerification(_t0, "Compliant", [], false),
        };

        await Store.CreateAsync(plan, steps, CancellationToken.None);
        var read = await Store.GetPlanAsync(plan.Id, CancellationToken.None);
        var readSteps = await Store.GetStepsAsync(plan.Id, CancellationToken.None);
        var one = await Store.GetStepAsync(plan.Id, (Vm + "VM-000").ToUpperInvariant(), CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(plan.Id, read!.Plan.Id);
        Assert.Equal(RemediationAction.GuestUpdate, read.Plan.Action);
        Assert.Equal(TimeSpan.FromHours(2), read.Plan.MaximumDuration);
        Assert.Equal("alice", read.Plan.CreatedBy);
        Assert.Equal(["rg-a"], read.Plan.Filter.ResourceIds!);
        Assert.Single(read.Plan.Events);
        Assert.Equal(130, readSteps.Count);
        Assert.Equal(steps.Select(s => s.ResourceId), readSteps.Select(s => s.Step.ResourceId));
        Assert.NotNull(one);
        Assert.Equal(RemediationStepStatus.Succeeded, one!.Step.Status);
        Assert.Equal(3, one.Step.PatchResult!.InstalledPatchCount);
        Assert.Equal("72", one.Step.Scripts[0].Settings![0].Value);
        Assert.Equal("Compliant", one.Step.Verification!.Status);
        Assert.Equal(["boot parameter: explained"], one.Step.Explained);
        Assert.Equal(TimeSpan.FromHours(2), one.Step.Patch!.MaximumDuration);
    }

    [Fact]
    public async Task UpdatePlan_OnlyWithTheETagRead()
    {
        var plan = Plan("rem-20261201090000-aaaa0002", _t0);
        await Store.CreateAsync(plan, [Step(plan.Id, Vm + "a")], CancellationToken.None);
        var read = await Store.GetPlanAsync(plan.Id, CancellationToken.None);

        var first = await Store.UpdatePlanAsync(read!.Plan with { State = RemediationPlanState.Approved, ApprovedBy = "bob" }, read.ETag, CancellationToken.None);
        var second = await Store.UpdatePlanAsync(read.Plan with { State = RemediationPlanState.Cancelled }, read.ETag, CancellationToken.None);
        var now = await Store.GetPlanAsync(plan.Id, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(RemediationPlanState.Approved, now!.Plan.State);
        Assert.Equal("bob", now.Plan.ApprovedBy);
        Assert.Equal(first!.ETag, now.ETag);
    }

    [Fact]
    public async Task UpdateStep_OnlyWithTheETagRead()
    {
        var plan = Plan("rem-20261201090000-aaaa0003", _t0);
        await Store.CreateAsync(plan, [Step(plan.Id, Vm + "a")], CancellationToken.None);
        var read = await Store.GetStepAsync(plan.Id, Vm + "a", CancellationToken.None);

        var first = await Store.UpdateStepAsync(read!.Step with { Status = RemediationStepStatus.Running }, read.ETag, CancellationToken.None);
        var second = await Store.UpdateStepAsync(read.Step with { Status = RemediationStepStatus.Skipped }, read.ETag, CancellationToken.None);
        var missing = await Store.UpdateStepAsync(read.Step with { ResourceId = Vm + "nope" }, read.ETag, CancellationToken.None);
        var now = await Store.GetStepAsync(plan.Id, Vm + "a", CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Null(missing);
        Assert.Equal(RemediationStepStatus.Running, now!.Step.Status);
    }

    [Fact]
    public async Task ListPlans_NewestFirst_AndMissingOnesAreNull()
    {
        await Store.CreateAsync(Plan("rem-20261201090000-aaaa0004", _t0), [Step("rem-20261201090000-aaaa0004", Vm + "a")], CancellationToken.None);
        await Store.CreateAsync(Plan("rem-20261201100000-aaaa0005", _t0.AddHours(1)), [Step("rem-20261201100000-aaaa0005", Vm + "a")], CancellationToken.None);

        var plans = new List<RemediationPlan>();
        await foreach (var plan in Store.ListPlansAsync(CancellationToken.None))
        {
            plans.Add(plan);
        }

        Assert.Equal(["rem-20261201100000-aaaa0005", "rem-20261201090000-aaaa0004"], plans.Select(p => p.Id).Take(2));
        Assert.Null(await Store.GetPlanAsync("rem-20261201090000-ffffffff", CancellationToken.None));
        Assert.Null(await Store.GetStepAsync("rem-20261201090000-aaaa0004", Vm + "zzz", CancellationToken.None));
        Assert.Empty(await Store.GetStepsAsync("rem-20261201090000-ffffffff", CancellationToken.None));
    }

    [Fact]
    public async Task Create_RefusesAnExistingId()
    {
        var plan = Plan("rem-20261201090000-aaaa0006", _t0);
        await Store.CreateAsync(plan, [Step(plan.Id, Vm + "a")], CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.CreateAsync(plan, [Step(plan.Id, Vm + "a")], CancellationToken.None));
    }

    [Fact]
    public async Task Completion_RoundTripsWithItsPendingSinks()
    {
        var plan = Plan("rem-20261201090000-aaaa0007", _t0);
        await Store.CreateAsync(plan, [Step(plan.Id, Vm + "a")], CancellationToken.None);
        var read = await Store.GetPlanAsync(plan.Id, CancellationToken.None);
        var message = new NotificationMessage("id-1", NotificationTypes.RemediationCompleted, "/remediations/" + plan.Id, _t0, "{\"planId\":\"x\"}");

        await Store.UpdatePlanAsync(read!.Plan with { State = RemediationPlanState.Completed, Completion = new PendingNotification(message, ["webhook"]) }, read.ETag, CancellationToken.None);
        var now = await Store.GetPlanAsync(plan.Id, CancellationToken.None);

        Assert.Equal(["webhook"], now!.Plan.Completion!.PendingSinks);
        Assert.Equal(message, now.Plan.Completion.Message);
    }

    private static RemediationPlan Plan(string id, DateTimeOffset at) => new(
        id,
        RemediationPlanState.Proposed,
        RemediationAction.GuestUpdate,
        new RemediationFilter(ResourceIds: ["rg-a"]),
        RebootSetting.IfRequired,
        TimeSpan.FromHours(2),
        [],
        TimeSpan.FromHours(3),
        new RemediationCounts(1, 1, 0, 0, 0, 0, 0),
        "alice",
        at,
        [new RemediationEvent(at, "Proposed", "alice", "1 machine")]);

    private static RemediationStep Step(string planId, string resourceId) =>
        new(planId, resourceId, "VirtualMachine", "Windows", RemediationStepStatus.Pending) { Patch = new PatchInstallation(TimeSpan.FromHours(2), RebootSetting.IfRequired) };
}
