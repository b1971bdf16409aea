using Compliance.Core.Remediation;
using Compliance.Core.Rules;

namespace Compliance.Core.Tests.Remediation;

public sealed class RemediationPlannerTests
{
    private static readonly string Ss0 = $"/subscriptions/{RemediationHarness.Sub}/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/0";
    private static readonly string Cs = $"/subscriptions/{RemediationHarness.Sub}/resourceGroups/rg-test/providers/Microsoft.Compute/cloudServices/cs-01";

    [Fact]
    public async Task Plan_SelectsOnlyActionRequiredWithTheAction_AndSaysWhyScaleSetsAndCloudServicesAreSkipped()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-b", "rg-other"), "ActionRequired", ["GuestUpdate", "KvaShadowing"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-exempt"), "Exempt", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-compliant"), "Compliant", []);
        await h.SeedAsync(RemediationHarness.VmId("vm-unknown"), "Unknown", []);
        await h.SeedAsync(RemediationHarness.VmId("vm-kva"), "ActionRequired", ["KvaShadowing"]);
        await h.SeedAsync(Ss0, "ActionRequired", ["GuestUpdate"], os: "Linux", kind: "ScaleSetInstance");
        await h.SeedAsync(Cs, "ActionRequired", ["GuestUpdate"], kind: "CloudService");

        var (plan, steps) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All), "alice", CancellationToken.None);

        Assert.Equal(RemediationPlanState.Proposed, plan.State);
        Assert.Equal(
            new[] { RemediationHarness.VmId("vm-a"), RemediationHarness.VmId("vm-b", "rg-other"), Cs, Ss0 }.Order(StringComparer.OrdinalIgnoreCase),
            steps.Select(s => s.ResourceId));
        Assert.All(steps.Where(s => s.Kind == "VirtualMachine"), s =>
        {
            Assert.Equal(RemediationStepStatus.Pending, s.Status);
            Assert.Equal(new PatchInstallation(TimeSpan.FromHours(2), RebootSetting.IfRequired), s.Patch);
        });
        var scaleSet = Assert.Single(steps, s => s.ResourceId == Ss0);
        Assert.Equal(RemediationStepStatus.Skipped, scaleSet.Status);
        Assert.Contains("scale set", scaleSet.Reason, StringComparison.OrdinalIgnoreCase);
        var cloudService = Assert.Single(steps, s => s.ResourceId == Cs);
        Assert.Equal(RemediationStepStatus.Skipped, cloudService.Status);
        Assert.Contains("Guest OS", cloudService.Reason, StringComparison.Ordinal);
        Assert.Equal(new RemediationCounts(4, 2, 0, 0, 0, 2, 0), plan.Counts);
        Assert.Equal("alice", plan.CreatedBy);
        Assert.Equal("Proposed", Assert.Single(plan.Events).Kind);
    }

    [Fact]
    public async Task Plan_FiltersByResourceGroupOsFindingAndIds_AndNamesWhyANamedResourceIsNotSelected()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-b", "rg-other"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-linux", "rg-other"), "ActionRequired", ["GuestUpdate"], os: "Linux");
        await h.SeedAsync(RemediationHarness.VmId("vm-exempt"), "Exempt", ["GuestUpdate"]);

        var (_, byGroup) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, new RemediationFilter(ResourceGroup: "RG-OTHER", Os: "windows")), "alice", CancellationToken.None);
        await using var h2 = new RemediationHarness();
        await h2.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h2.SeedAsync(RemediationHarness.VmId("vm-exempt"), "Exempt", ["GuestUpdate"]);
        var (_, byIds) = await h2.Service.ProposeAsync(
            new RemediationRequest(RemediationAction.GuestUpdate, new RemediationFilter(ResourceIds: [RemediationHarness.VmId("vm-a"), RemediationHarness.VmId("vm-exempt"), RemediationHarness.VmId("vm-none")], Finding: "guest_update_missing")),
            "alice",
            CancellationToken.None);
        var none = await Assert.ThrowsAsync<RemediationRefusedException>(() =>
            h2.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, new RemediationFilter(Finding: "MDS_MITIGATION_DISABLED")), "alice", CancellationToken.None));

        Assert.Equal([RemediationHarness.VmId("vm-b", "rg-other")], byGroup.Select(s => s.ResourceId));
        Assert.Equal(RemediationStepStatus.Pending, Assert.Single(byIds, s => s.ResourceId == RemediationHarness.VmId("vm-a")).Status);
        var exempt = Assert.Single(byIds, s => s.ResourceId == RemediationHarness.VmId("vm-exempt"));
        Assert.Equal(RemediationStepStatus.Skipped, exempt.Status);
        Assert.Contains("Exempt", exempt.Reason, StringComparison.Ordinal);
        Assert.Contains("No verdict", Assert.Single(byIds, s => s.ResourceId == RemediationHarness.VmId("vm-none")).Reason, StringComparison.Ordinal);
        Assert.Equal(RemediationRefusalKind.Conflict, none.Kind);
    }

    [Fact]
    public async Task Plan_RefusesAMachineInAnotherActivePlanForTheSameAction_UntilThatPlanIsCancelled()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);
        await h.SeedAsync(RemediationHarness.VmId("vm-b"), "ActionRequired", ["GuestUpdate"]);
        var request = new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All);
        var (first, _) = await h.Service.ProposeAsync(request, "alice", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(request, "bob", CancellationToken.None));
        await h.Service.CancelAsync(first.Id, "alice", CancellationToken.None);
        var (second, steps) = await h.Service.ProposeAsync(request, "bob", CancellationToken.None);

        Assert.Equal(RemediationRefusalKind.Conflict, refused.Kind);
        Assert.Contains(first.Id, refused.Message, StringComparison.Ordinal);
        Assert.NotEqual(first.Id, second.Id);
        Assert.All(steps, s => Assert.Equal(RemediationStepStatus.Pending, s.Status));
    }

    [Fact]
    public async Task ExpectedDuration_ComesFromParallelismPerMachineTimeAndTheRateLimit()
    {
        await using var h = new RemediationHarness(o => o.Parallelism = 16);
        for (var i = 0; i < 40; i++)
        {
            await h.SeedAsync(RemediationHarness.VmId($"vm-{i:D2}"), "ActionRequired", ["GuestUpdate"]);
        }

        var (plan, _) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All, RebootSetting.IfRequired, TimeSpan.FromHours(1)), "alice", CancellationToken.None);

        // 40 machines 16 at a time: 3 rounds of (installPatches' 1 h + the 5 min wait after its restart + a 90 s check).
        Assert.Equal(3 * (TimeSpan.FromHours(1) + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(90)), plan.ExpectedDuration);

        // When the writes of the busiest region take longer than the rounds, the rate decides: 2 writes for each of 40 machines at 0.01/s.
        var rates = new RemediationRates(1000, 0.01, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        Assert.Equal(TimeSpan.FromSeconds(8000), rates.Expected([40, 3], TimeSpan.FromHours(2), 2));
        Assert.Equal(TimeSpan.FromHours(2), rates.Expected([10], TimeSpan.FromHours(2), 2));
    }

    [Fact]
    public async Task ScriptPlans_NameEachScriptWithItsSha256_AndExplainWhatNoScriptChanges()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-win"), "ActionRequired", ["KvaShadowing"], findings: RemediationHarness.Finding("KVA_SHADOWING_REQUIRED"));
        await h.SeedAsync(RemediationHarness.VmId("vm-linux"), "ActionRequired", ["KvaShadowing"], os: "Linux", findings: RemediationHarness.Finding("KVA_SHADOWING_REQUIRED"));

        var (plan, steps) = await h.Service.ProposeAsync(new RemediationRequest(RemediationAction.KvaShadowing, RemediationFilter.All), "alice", CancellationToken.None);

        var windows = Assert.Single(steps, s => s.Os == "Windows");
        var script = Assert.Single(windows.Scripts);
        Assert.Equal(RemediationScripts.WindowsSpectreMeltdown, script.Name);
        Assert.Equal(RemediationScripts.Find(script.Name)!.Script.Sha256, script.Sha256);
        Assert.Null(windows.Patch);
        var linux = Assert.Single(steps, s => s.Os == "Linux");
        Assert.Equal(RemediationStepStatus.Skipped, linux.Status);
        Assert.Empty(linux.Scripts);
        Assert.Equal(1, plan.Counts.Pending);
    }

    [Fact]
    public async Task Requests_ThatCannotBeRightAreRefusedAsInvalid()
    {
        await using var h = new RemediationHarness();
        await h.SeedAsync(RemediationHarness.VmId("vm-a"), "ActionRequired", ["GuestUpdate"]);

        var tooLong = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All, MaximumDuration: TimeSpan.FromHours(5)), "a", CancellationToken.None));
        var scripts = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, RemediationFilter.All, Scripts: ["windows-mds"]), "a", CancellationToken.None));
        var unknown = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(new RemediationRequest(RemediationAction.KvaShadowing, RemediationFilter.All, Scripts: ["rm -rf"]), "a", CancellationToken.None));
        var badId = await Assert.ThrowsAsync<RemediationRefusedException>(() => h.Service.ProposeAsync(new RemediationRequest(RemediationAction.GuestUpdate, new RemediationFilter(ResourceIds: ["vm-a"])), "a", CancellationToken.None));

        Assert.All([tooLong, scripts, unknown, badId], r => Assert.Equal(RemediationRefusalKind.Invalid, r.Kind));
        Assert.Contains("4 hours", tooLong.Message, StringComparison.Ordinal);
    }
}
