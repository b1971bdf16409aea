using Compliance.Core.Guest;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>
/// The Azure guidance's checklist for Windows machines that run untrusted code, read as SpeculationControl reads class
/// 201 (both words) and class 196: BTI, L1TF, MDS, MMIO stale data and the nested Hyper-V host value, each a finding
/// with its action where untrusted code runs, and Low without an action (or nothing, for a Server default) elsewhere.
/// </summary>
public sealed class WindowsChecklistRulesTests
{
    private static readonly IReadOnlyDictionary<string, string> _untrusted = Resources.Tags(("compliance-untrusted-code", "true"));

    // Class 201 of a current OS whose BTI is off by system policy, microcode visible: 0x379 without 0x01, with 0x02.
    private const uint BtiOffByPolicy = (Reports.CurrentFlags & ~WindowsMitigations.BpbEnabled) | WindowsMitigations.BpbDisabledSystemPolicy;

    private static Assessment Assess(WindowsGuestReport report, bool untrusted = true) =>
        Judge.Assess(Resources.Vm(tags: untrusted ? _untrusted : null), report);

    [Fact]
    public void Assess_CurrentFullyMitigatedUntrustedMachine_Compliant()
    {
        var assessment = Assess(Reports.Windows());

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_UntrustedAndBtiOffBySystemPolicy_HighMitigationSettings()
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(BtiOffByPolicy), registry: new WindowsRegistry(3, 3, null, 0)));

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.BtiDisabled);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("disabled by system policy", finding.Message, StringComparison.Ordinal);
        Assert.Contains("FeatureSettingsOverride=0 and FeatureSettingsOverrideMask=3", finding.Message, StringComparison.Ordinal);
        Assert.Equal(false, finding.Evidence["rebootPending"]);
    }

    [Fact]
    public void Assess_BtiOffButRegistryAlreadyAsks_RebootPending()
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(BtiOffByPolicy), registry: new WindowsRegistry(0, 3, null, 0)));

        var finding = assessment.Findings.Single(f => f.Code == FindingCode.BtiDisabled);
        Assert.Contains("reboot the machine", finding.Message, StringComparison.Ordinal);
        Assert.Equal(true, finding.Evidence["rebootPending"]);
    }

    [Fact]
    public void Assess_TrustedServerWithBtiOff_TheServerDefaultIsNoFinding() =>
        Assert.Empty(Assess(Reports.Windows(speculationControl: Reports.Ok(BtiOffByPolicy)), untrusted: false).Findings);

    [Fact]
    public void Assess_TrustedClientWithBtiOff_LowWithoutAction()
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(BtiOffByPolicy), productType: 1), untrusted: false);

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.BtiDisabled, finding.Code);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Null(finding.Action);
        Assert.Contains("KB4073119", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x0600_0106u)] // 0x04: disabled, no hardware support (microcode not exposed)
    [InlineData(0x0600_0102u)] // neither 0x08 nor 0x10
    public void Assess_BtiOffBecauseTheMicrocodeIsNotExposed_InformationOnly(uint flags)
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(flags)));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["BTI_MICROCODE_NOT_EXPOSED", "UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_UntrustedIntelWithoutL1tfSupport_HighGuestUpdate()
    {
        // KVA shadow required and on (0x3D) but no L1TF bits: an OS from before August 2018.
        var assessment = Assess(Reports.Windows(kvaShadow: Reports.Ok(0x3D)));

        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.L1tfUpdateMissing);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("August 2018", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x3Du | 0x2000u)] // reported present
    [InlineData(0x3Du | 0x1000u)] // L1 flush supported
    [InlineData(0x3Du | 0x0800u)] // an inverted PTE bit with KVA shadow on
    public void Assess_L1tfSupportAsSpeculationControlDerivesIt_NoFinding(uint kvaFlags) =>
        Assert.DoesNotContain(FindingCode.L1tfUpdateMissing, Assess(Reports.Windows(kvaShadow: Reports.Ok(kvaFlags))).Findings.Select(f => f.Code));

    [Theory]
    [InlineData(CpuInfo.Amd)]
    [InlineData("HygonGenuine")]
    public void Assess_CpuNotVulnerableToRogueDataCacheLoad_NoL1tfOrKvaFinding(string vendor)
    {
        var assessment = Assess(Reports.Windows(kvaShadow: Reports.Ok(0), manufacturer: vendor));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_RdclNo_NoL1tfFinding() =>
        Assert.DoesNotContain(
            FindingCode.L1tfUpdateMissing,
            Assess(Reports.Windows(speculationControl: Reports.Ok(Reports.CurrentFlags, 0x1800), kvaShadow: Reports.Ok(0x20))).Findings.Select(f => f.Code));

    [Fact]
    public void Assess_TrustedWithoutL1tfSupport_LowWithoutAction()
    {
        var finding = Assert.Single(Assess(Reports.Windows(kvaShadow: Reports.Ok(0x3D)), untrusted: false).Findings);

        Assert.Equal(FindingCode.L1tfUpdateMissing, finding.Code);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Null(finding.Action);
    }

    [Fact]
    public void Assess_UntrustedOsWithoutMdsReporting_HighGuestUpdate()
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(0x379)));

        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.MdsUpdateMissing);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("May 2019", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_UntrustedMdsReportedVulnerableNotEnabled_HighMitigationSettings()
    {
        // 0x4000000 reported, 0x1000000 (MDS_NO) and 0x2000000 (enabled) clear.
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(0x0400_0379)));

        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.MdsMitigationDisabled);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("FeatureSettingsOverride=72", finding.Message, StringComparison.Ordinal);
        Assert.Contains("8264", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x0500_0379u, CpuInfo.Intel)] // MDS_NO
    [InlineData(0x0400_0379u, CpuInfo.Amd)]   // SpeculationControl treats AMD as protected
    [InlineData(0x0400_0379u, "HygonGenuine")]
    public void Assess_MdsNotEnabledOnProtectedHardware_NoFinding(uint flags, string vendor) =>
        Assert.DoesNotContain(
            FindingCode.MdsMitigationDisabled,
            Assess(Reports.Windows(speculationControl: Reports.Ok(flags), manufacturer: vendor)).Findings.Select(f => f.Code));

    [Fact]
    public void Assess_MdsNotEnabledOnArm_NoFinding()
    {
        var report = Reports.Windows(speculationControl: Reports.Ok(0x0400_0379)) with { Cpu = new CpuInfo("Qualcomm Technologies Inc", "ARMv8 (64-bit) Family 8") { Architecture = 12 } };

        Assert.DoesNotContain(FindingCode.MdsMitigationDisabled, Assess(report).Findings.Select(f => f.Code));
    }

    [Fact]
    public void Assess_TrustedServerWithMdsOff_TheServerDefaultIsNoFinding() =>
        Assert.Empty(Assess(Reports.Windows(speculationControl: Reports.Ok(0x0400_0379)), untrusted: false).Findings);

    [Theory]
    [InlineData(0x10u)] // reported, none of the protections, FBClear off
    [InlineData(0x16u)] // SBDR/SSDP vulnerable only
    [InlineData(0x13u)] // PSDP vulnerable only
    public void Assess_MmioStaleDataReportedVulnerableFbClearOff_MediumWithoutAction(uint flags2)
    {
        var assessment = Assess(Reports.Windows(speculationControl: Reports.Ok(Reports.CurrentFlags, flags2)));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.MmioStaleDataUnmitigated);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Null(finding.Action);
        Assert.Contains("Azure Support", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x17u)] // every protection bit
    [InlineData(0x18u)] // FBClear enabled
    [InlineData(0x00u)] // not reported (an OS before the MMIO update)
    [InlineData(0x07u)] // protected, not reported
    public void Assess_MmioStaleDataProtectedOrNotReported_NoFinding(uint flags2) =>
        Assert.DoesNotContain(
            FindingCode.MmioStaleDataUnmitigated,
            Assess(Reports.Windows(speculationControl: Reports.Ok(Reports.CurrentFlags, flags2))).Findings.Select(f => f.Code));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("8.0")]
    [InlineData("1")]
    public void Assess_HyperVHostWithoutMinVmVersion10_HighMitigationSettings(string? value)
    {
        var report = Reports.Windows(features: ["Hyper-V"], registry: new WindowsRegistry(0, 3, value, 0));

        var assessment = Judge.Assess(Resources.Vm(), report);

        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        var finding = assessment.Findings.Single(f => f.Code == FindingCode.HyperVMinVmVersionMissing);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("MinVmVersionForCpuBasedMitigations=\"1.0\"", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData(" 1.0 ")]
    public void Assess_HyperVHostWithMinVmVersion10_Compliant(string value)
    {
        var assessment = Judge.Assess(Resources.Vm(), Reports.Windows(features: ["Hyper-V"], registry: new WindowsRegistry(0, 3, value, 0)));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_RdsHostWithoutMinVmVersion_NotAHyperVHostSoNoFinding() =>
        Assert.Equal(ComplianceStatus.Compliant, Judge.Assess(Resources.Vm(), Reports.Windows(features: ["RDS-RD-Server"])).Status);

    [Fact]
    public void Assess_EveryChecklistGapAtOnce_EachItsOwnFindingAndBothActions()
    {
        var report = Reports.Windows(
            speculationControl: Reports.Ok(BtiOffByPolicy & ~WindowsMitigations.MbClearReported & ~WindowsMitigations.MbClearEnabled),
            kvaShadow: Reports.Ok(0x30),
            features: ["Hyper-V"],
            registry: new WindowsRegistry(3, 3, null, 0));

        var assessment = Judge.Assess(Resources.Vm(), report);

        Assert.Equal([RemediationAction.GuestUpdate, RemediationAction.KvaShadowing, RemediationAction.MitigationSettings], assessment.Actions);
        Assert.Equal(
            ["BTI_DISABLED", "HYPERV_MIN_VM_VERSION_MISSING", "KVA_SHADOWING_REQUIRED", "L1TF_UPDATE_MISSING", "MDS_UPDATE_MISSING", "UNTRUSTED_CODE_HOST"],
            assessment.Codes());
    }

    [Theory]
    [InlineData("Intel64 Family 6 Model 28 Stepping 10")] // 0x1C, an Atom SpeculationControl lists as not affected
    [InlineData("Intel64 Family 6 Model 54 Stepping 1")]  // 0x36
    public void Assess_IntelAtomWithoutKernelAnswer_KvaShadowNotRequired(string description)
    {
        var report = Reports.Windows(kvaShadow: Reports.Ok(0)) with { Cpu = new CpuInfo(CpuInfo.Intel, description) };

        Assert.DoesNotContain(FindingCode.KvaShadowingRequired, Assess(report).Findings.Select(f => f.Code));
    }
}
