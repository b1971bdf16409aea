using Compliance.Core.Exemptions;
using static Compliance.Core.Tests.Exemptions.ExemptionSamples;

namespace Compliance.Core.Tests.Exemptions;

public sealed class ExemptionCoverageTests
{
    [Fact]
    public void Apply_ActionListed_MakesExempt_KeepingActionsFindingsAndNamingTheExemption()
    {
        var verdict = NeedsUpdate(T0);

        var applied = ExemptionCoverage.Apply(verdict, [Exemption("w1", Rg("rg1"), ["GuestUpdate"], expiresOn: T0.AddDays(1))], T0);

        Assert.Equal("Exempt", applied.Status);
        Assert.Equal(["GuestUpdate"], applied.Actions);
        Assert.Equal("GUEST_UPDATE_MISSING", Assert.Single(applied.Findings).Code);
        Assert.Equal("w1", applied.Exemption!.Id);
        Assert.Equal("ActionRequired", applied.Exemption.UnderlyingStatus);
        Assert.Equal("Waiver", applied.Exemption.Category);
        Assert.Equal(T0.AddDays(1), applied.Exemption.ExpiresOn);
    }

    [Fact]
    public void Apply_EveryFindingCodeOfTheActionListed_Covers()
    {
        var verdict = Verdict(Vm(), "ActionRequired", T0, Finding("GUEST_UPDATE_MISSING", "GuestUpdate"), Finding("MDS_UPDATE_MISSING", "GuestUpdate"), Finding("UNTRUSTED_CODE_HOST", null));

        var all = ExemptionCoverage.Apply(verdict, [Exemption("codes", Vm(), codes: ["GUEST_UPDATE_MISSING", "MDS_UPDATE_MISSING"])], T0);
        var some = ExemptionCoverage.Apply(verdict, [Exemption("codes", Vm(), codes: ["GUEST_UPDATE_MISSING"])], T0);

        Assert.Equal("Exempt", all.Status);
        Assert.Equal("ActionRequired", some.Status);
        Assert.Null(some.Exemption);
    }

    [Fact]
    public void Apply_PartialCoverage_StaysActionRequired()
    {
        var verdict = Verdict(Vm(), "ActionRequired", T0, Finding("GUEST_UPDATE_MISSING", "GuestUpdate"), Finding("KVA_SHADOWING_REQUIRED", "KvaShadowing"));

        var applied = ExemptionCoverage.Apply(verdict, [Exemption("w1", Rg("rg1"), ["GuestUpdate"])], T0);

        Assert.Equal("ActionRequired", applied.Status);
        Assert.Null(applied.Exemption);
    }

    [Fact]
    public void Apply_TwoExemptionsTogether_CoverEveryAction_NamingTheOneWhoseExpiryEndsIt()
    {
        var verdict = Verdict(Vm(), "ActionRequired", T0, Finding("GUEST_UPDATE_MISSING", "GuestUpdate"), Finding("KVA_SHADOWING_REQUIRED", "KvaShadowing"));

        var applied = ExemptionCoverage.Apply(
            verdict,
            [Exemption("short", Rg("rg1"), ["GuestUpdate"], expiresOn: T0.AddDays(2)), Exemption("long", $"/subscriptions/{Subscription}", ["KvaShadowing"], expiresOn: T0.AddDays(9))],
            T0);
        var never = ExemptionCoverage.Apply(verdict, [Exemption("a", Rg("rg1"), ["GuestUpdate", "KvaShadowing"], expiresOn: T0.AddDays(9)), Exemption("z", Rg("rg1"), ["GuestUpdate", "KvaShadowing"])], T0);

        // Exempt only while both hold: the shorter one ends it, and a read after its expiry shows the underlying verdict.
        Assert.Equal("short", applied.Exemption!.Id);
        Assert.Equal(T0.AddDays(2), applied.Exemption.ExpiresOn);
        Assert.Equal("ActionRequired", ExemptionCoverage.AsOf(applied, T0.AddDays(3)).Status);
        Assert.Equal("Exempt", ExemptionCoverage.AsOf(applied, T0.AddDays(1)).Status);
        // Each action covered twice: covered until the later of the two ends, here never.
        Assert.Equal("z", never.Exemption!.Id);
    }

    [Theory]
    [InlineData("Unknown")]
    [InlineData("Compliant")]
    public void Apply_UnknownOrCompliant_StaysAsItIs(string status)
    {
        var verdict = Verdict(Vm(), status, T0, Finding("CHECK_FAILED", null));

        var applied = ExemptionCoverage.Apply(verdict, [Exemption("w1", Rg("rg1"), ["GuestUpdate", "KvaShadowing", "MitigationSettings"], ["CHECK_FAILED"])], T0);

        Assert.Equal(status, applied.Status);
        Assert.Null(applied.Exemption);
    }

    [Fact]
    public void Apply_ExpiredExemption_DoesNotCover_AndAnExemptVerdictFallsBackToItsUnderlyingStatus()
    {
        var exempt = ExemptionCoverage.Apply(NeedsUpdate(T0), [Exemption("w1", Rg("rg1"), ["GuestUpdate"], expiresOn: T0.AddDays(1))], T0);

        var later = ExemptionCoverage.Apply(exempt, [Exemption("w1", Rg("rg1"), ["GuestUpdate"], expiresOn: T0.AddDays(1))], T0.AddDays(1));

        Assert.Equal("Exempt", exempt.Status);
        Assert.Equal("ActionRequired", later.Status);
        Assert.Null(later.Exemption);
        Assert.Equal("ActionRequired", ExemptionCoverage.AsOf(exempt, T0.AddDays(1)).Status);
        Assert.Equal("Exempt", ExemptionCoverage.AsOf(exempt, T0.AddHours(23)).Status);
    }

    [Fact]
    public void Apply_ScopeComparedCaseInsensitively_ByWholeSegments()
    {
        var inRg1 = NeedsUpdate(T0, Vm("rg1"));
        var inRg10 = NeedsUpdate(T0, Vm("rg10"));
        var upper = ExemptionScope.Normalize(Rg("RG1").ToUpperInvariant(), out _)!;

        Assert.Equal("Exempt", ExemptionCoverage.Apply(inRg1, [Exemption("w", upper, ["GuestUpdate"])], T0).Status);
        Assert.Equal("ActionRequired", ExemptionCoverage.Apply(inRg10, [Exemption("w", Rg("rg1"), ["GuestUpdate"])], T0).Status);
        Assert.Equal("ActionRequired", ExemptionCoverage.Apply(NeedsUpdate(T0, Vm("rg1", "vm-10")), [Exemption("w", Vm("rg1", "vm-1"), ["GuestUpdate"])], T0).Status);
        Assert.Equal("Exempt", ExemptionCoverage.Apply(NeedsUpdate(T0, Vm("rg1", "VM-1")), [Exemption("w", Vm("rg1", "vm-1"), ["GuestUpdate"])], T0).Status);
        Assert.Equal("ActionRequired", ExemptionCoverage.Apply(inRg1, [Exemption("w", "/subscriptions/22222222-2222-2222-2222-222222222222", ["GuestUpdate"])], T0).Status);
    }

    [Fact]
    public void Scope_ScaleSetHoldsItsInstances()
    {
        var scaleSet = $"{Rg("rg1")}/providers/Microsoft.Compute/virtualMachineScaleSets/ss";

        Assert.True(ExemptionScope.Contains(scaleSet, scaleSet + "/virtualMachines/3"));
        Assert.False(ExemptionScope.Contains(scaleSet, scaleSet + "2/virtualMachines/3"));
    }

    [Fact]
    public void Apply_LegacyFindingWithoutItsAction_IsNotCoveredByCode()
    {
        var legacy = Verdict(Vm(), "ActionRequired", T0, Finding("GUEST_UPDATE_MISSING", null)) with { Actions = ["GuestUpdate"] };

        Assert.Equal("ActionRequired", ExemptionCoverage.Apply(legacy, [Exemption("c", Vm(), codes: ["GUEST_UPDATE_MISSING"])], T0).Status);
        Assert.Equal("Exempt", ExemptionCoverage.Apply(legacy, [Exemption("a", Vm(), ["GuestUpdate"])], T0).Status);
    }
}
