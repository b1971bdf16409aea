using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>A January 2018 state that was not established makes the verdict Unknown, never Compliant.</summary>
public sealed class MitigationStateUnknownRuleTests
{
    private static Assessment Assess(string file, string value) =>
        Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched((file, value))));

    [Theory]
    [InlineData("meltdown", "Unknown (XEN PV detected, hypervisor mitigation required)")]
    [InlineData("meltdown", "")]
    [InlineData("meltdown", "   ")]
    [InlineData("spectre_v1", "Unknown: No mitigations")]
    [InlineData("spectre_v2", "Partially mitigated: Retpolines")]
    [InlineData("spectre_v2", "Mitigation: Something new")]
    [InlineData("spectre_v2", "Mitigation")]
    [InlineData("spectre_v2", "Mitigation: Retpolines; FOO: bar")]
    [InlineData("spectre_v2", "Mitigation: Retpolines, IBPB: sometimes")]
    [InlineData("spectre_v2", "Not affected; BHI: Vulnerable")]
    [InlineData("meltdown", "Mitigation: PTI extra")]
    [InlineData("spectre_v1", "Mitigation: usercopy barriers")]
    public void Assess_January2018StateNotEstablished_Unknown(string file, string value)
    {
        var assessment = Assess(file, value);

        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.MitigationStateUnknown, finding.Code);
        Assert.True(finding.Code.MeansUnchecked);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Null(finding.Action);
        Assert.Contains(file, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("meltdown", "  mitigation: pti  ")]
    [InlineData("meltdown", "MITIGATION: PTI")]
    [InlineData("spectre_v2", "Mitigation: Retpolines ;  IBPB: conditional;RSB filling")]
    [InlineData("spectre_v2", "mitigation:  full generic retpoline,ibpb,ibrs_fw")]
    [InlineData("spectre_v1", "not affected")]
    public void Assess_CaseAndBlanksTolerated_Compliant(string file, string value) =>
        Assert.Equal(ComplianceStatus.Compliant, Assess(file, value).Status);

    [Fact]
    public void Assess_KnownClausesRepeatedOverAndOver_NotAStateTheKernelsPrint()
    {
        var value = string.Concat(Enumerable.Repeat("Mitigation: Retpolines; IBPB: conditional; ", 100));

        var reading = LinuxStateClassifier.Read("spectre_v2", value);

        Assert.Equal(LinuxStateKind.Unrecognised, reading.Kind);
        Assert.Equal(ComplianceStatus.Unknown, Assess("spectre_v2", value).Status);
    }

    [Fact]
    public void Assess_UnknownBesideAProvenAction_ActionRequiredStillShowsTheUnknown()
    {
        var report = Reports.Linux(Reports.Patched(("meltdown", "Vulnerable"), ("spectre_v2", "Mitigation: Novel")));

        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), report);

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal(["GUEST_UPDATE_MISSING", "MITIGATION_STATE_UNKNOWN"], assessment.Codes());
    }
}
