using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>The rows that never call for an action unless configured: antivirus key, later variants, BTI, untrusted, maintenance.</summary>
public sealed class InformationalRulesTests
{
    [Fact]
    public void AntivirusKey_UpdateMissingAndNoValue_MediumWithoutAction()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, registry: WindowsRegistry.Empty);

        var finding = Assert.Single(new AntivirusCompatKeyMissingRule().Evaluate(Judge.Context(Resources.Vm(), report)));

        Assert.Equal(FindingCode.AntivirusCompatKeyMissing, finding.Code);
        Assert.Equal(Severity.Medium, finding.Severity);
        Assert.Null(finding.Action);
        Assert.Contains("cadca5fe-87d3-4b96-b7fb-a231484277cc", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AntivirusKey_UpdatePresentAndNoValue_NoFinding() =>
        Assert.Empty(new AntivirusCompatKeyMissingRule().Evaluate(Judge.Context(Resources.Vm(), Reports.Windows(registry: WindowsRegistry.Empty))));

    [Fact]
    public void AntivirusKey_UpdateMissingButValueSet_NoFinding() =>
        Assert.Empty(new AntivirusCompatKeyMissingRule().Evaluate(Judge.Context(
            Resources.Vm(),
            Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, registry: new WindowsRegistry(null, null, null, 0)))));

    [Fact]
    public void LaterVariant_VulnerableFiles_OneLowFindingListingThem()
    {
        var report = Reports.Linux(Reports.Patched(("mds", "Vulnerable: Clear CPU buffers attempted, no microcode; SMT Host state unknown"), ("spec_store_bypass", "Vulnerable"), ("l1tf", "Mitigation: PTE Inversion")));

        var finding = Assert.Single(new LaterVariantVulnerableRule().Evaluate(Judge.Context(Resources.Vm(os: OsType.Linux), report)));

        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Null(finding.Action);
        var files = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(finding.Evidence["vulnerabilities"]);
        Assert.Equal(["mds", "spec_store_bypass"], files.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void LaterVariant_Configured_CallsForGuestUpdate()
    {
        var options = new RulesOptions { LaterVariantAction = LaterVariantPolicy.GuestUpdate };
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("mds", "Vulnerable"))), options);

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
    }

    [Theory]
    [InlineData("Not affected")]
    [InlineData("Mitigation: Clear CPU buffers; SMT vulnerable")]
    [InlineData("Unknown: Dependent on hypervisor status")]
    [InlineData("KVM: Mitigation: VMX unsupported")]
    public void LaterVariant_NotVulnerable_NoFinding(string value) =>
        Assert.Empty(new LaterVariantVulnerableRule().Evaluate(Judge.Context(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("mds", value))))));

    [Fact]
    public void LaterVariant_DefaultPolicy_KeepsTheMachineCompliant() =>
        Assert.Equal(ComplianceStatus.Compliant, Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("retbleed", "Vulnerable")))).Status);

    [Theory]
    [InlineData(0x104u)]
    [InlineData(0u)]
    [InlineData(0x1u)]
    public void BtiMicrocode_NotEnumerated_InfoNeverAFailure(uint flags)
    {
        var assessment = Judge.Assess(Resources.Vm(), Reports.Windows(speculationControl: Reports.Ok(flags)));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.BtiMicrocodeNotExposed, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Null(finding.Action);
    }

    [Theory]
    [InlineData(0x08u)]
    [InlineData(0x10u)]
    [InlineData(0x379u)]
    public void BtiMicrocode_Enumerated_NoFinding(uint flags) =>
        Assert.Empty(new BtiMicrocodeNotExposedRule().Evaluate(Judge.Context(Resources.Vm(), Reports.Windows(speculationControl: Reports.Ok(flags)))));

    [Fact]
    public void BtiMicrocode_QueryNotSupported_NoFinding() =>
        Assert.Empty(new BtiMicrocodeNotExposedRule().Evaluate(Judge.Context(Resources.Vm(), Reports.Windows(speculationControl: Reports.NotSupported))));

    [Fact]
    public void UntrustedCodeHost_FeatureAndTag_InfoWithBothReasons()
    {
        var finding = Assert.Single(new UntrustedCodeHostRule().Evaluate(Judge.Context(
            Resources.Vm(tags: Resources.Tags(("compliance-untrusted-code", "true"))),
            Reports.Windows(features: ["Hyper-V", "Web-Server"]))));

        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("Hyper-V", finding.Message, StringComparison.Ordinal);
        Assert.Contains("compliance-untrusted-code=true", finding.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "Hyper-V" }, Assert.IsType<string[]>(finding.Evidence["features"]));
    }

    [Fact]
    public void UntrustedCodeHost_NoReason_NoFinding() =>
        Assert.Empty(new UntrustedCodeHostRule().Evaluate(Judge.Context(Resources.Vm(), Reports.Windows(features: ["Web-Server"]))));

    [Fact]
    public void HostMaintenance_Window_Info()
    {
        var window = new MaintenanceWindow(true, null, null, new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero), null);
        var machine = Resources.Vm(view: new MachineInstanceView(AgentStatus.Ready, window));

        var assessment = Judge.Assess(machine, Reports.Windows());

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.HostMaintenancePending, finding.Code);
        Assert.Contains("not advised", finding.Message, StringComparison.Ordinal);
        Assert.Contains("2030-01-09", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HostMaintenance_StatusWithoutWindow_NoFinding()
    {
        var machine = Resources.Vm(view: new MachineInstanceView(AgentStatus.Ready, new MaintenanceWindow(false, null, null, null, null, "None")));

        Assert.Empty(new HostMaintenancePendingRule().Evaluate(Judge.Context(machine, Reports.Windows())));
    }
}
