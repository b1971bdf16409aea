using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

public sealed class ComplianceAssessorTests
{
    private static readonly IReadOnlyDictionary<string, string> _untrusted = Resources.Tags(("compliance-untrusted-code", "true"));

    [Fact]
    public void Assess_PatchedWindows_CompliantWithoutFindings()
    {
        var assessment = Judge.Assess(Resources.Vm(), Reports.Windows());

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Empty(assessment.Actions);
        Assert.Empty(assessment.Findings);
        Assert.Equal(TestTime.Start, assessment.CheckedAt);
    }

    [Fact]
    public void Assess_UntrustedAndUnpatchedIntel_BothActions()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, features: ["RDS-RD-Server"]);

        var assessment = Judge.Assess(Resources.Vm(), report);

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.GuestUpdate, RemediationAction.KvaShadowing], assessment.Actions);
        Assert.Equal(["GUEST_UPDATE_MISSING", "KVA_SHADOWING_REQUIRED", "UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_UnpatchedWithoutAntivirusValue_GuestUpdateAndAntivirusFinding()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, registry: WindowsRegistry.Empty);

        var assessment = Judge.Assess(Resources.Vm(), report);

        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        Assert.Equal(["ANTIVIRUS_COMPAT_KEY_MISSING", "GUEST_UPDATE_MISSING"], assessment.Codes());
        Assert.Equal(FindingCode.GuestUpdateMissing, assessment.Findings[0].Code);
    }

    [Theory]
    [InlineData(GuestCheckFailureKind.NotRunning, "NOT_RUNNING")]
    [InlineData(GuestCheckFailureKind.AgentUnavailable, "AGENT_UNAVAILABLE")]
    [InlineData(GuestCheckFailureKind.CheckFailed, "CHECK_FAILED")]
    [InlineData(GuestCheckFailureKind.OutputUnreadable, "OUTPUT_UNREADABLE")]
    public void Assess_GuestNotChecked_UnknownWithLowFinding(GuestCheckFailureKind kind, string code)
    {
        var assessment = Judge.Assess(Resources.Vm(), GuestCheckFailure.Of(kind, "because"));

        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        Assert.Empty(assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(code, finding.Code.ToString());
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains("because", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_UnknownButTagged_KeepsUntrustedInfoWithoutInventingAnAction()
    {
        var assessment = Judge.Assess(Resources.Vm(tags: _untrusted), GuestCheckFailure.Of(GuestCheckFailureKind.NotRunning, "power state stopped"));

        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        Assert.Equal(["NOT_RUNNING", "UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_QueryErrorButOtherQueryProvesMissingUpdate_ActionWinsOverUnknown()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.Error());

        var assessment = Judge.Assess(Resources.Vm(), report);

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Contains("CHECK_FAILED", assessment.Codes());
        Assert.Contains("GUEST_UPDATE_MISSING", assessment.Codes());
    }

    [Fact]
    public void Assess_QueryErrorOnly_Unknown()
    {
        var assessment = Judge.Assess(Resources.Vm(), Reports.Windows(kvaShadow: Reports.Error("0xC0000022")));

        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.CheckFailed, finding.Code);
    }

    [Fact]
    public void Assess_Findings_MostSevereFirst()
    {
        var window = new MaintenanceWindow(true, null, null, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddDays(1), null);
        var machine = Resources.Vm(tags: _untrusted, view: new MachineInstanceView(AgentStatus.Ready, window));

        var assessment = Judge.Assess(machine, Reports.Windows(speculationControl: Reports.Ok(0x0600_0104), kvaShadow: Reports.Ok(0x2030), registry: WindowsRegistry.Empty));

        Assert.Equal(Severity.High, assessment.Findings[0].Severity);
        Assert.All(assessment.Findings.Skip(1), f => Assert.Equal(Severity.Info, f.Severity));
        Assert.Equal(["BTI_MICROCODE_NOT_EXPOSED", "HOST_MAINTENANCE_PENDING", "KVA_SHADOWING_REQUIRED", "UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_EveryFinding_HasAMessageAndEvidence()
    {
        var assessment = Judge.Assess(
            Resources.Vm(tags: _untrusted),
            Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, registry: WindowsRegistry.Empty));

        Assert.All(assessment.Findings, f =>
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Message));
            Assert.NotEmpty(f.Evidence);
        });
    }
}
