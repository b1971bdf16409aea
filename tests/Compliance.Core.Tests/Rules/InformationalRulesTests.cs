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

    [Theory]
    [InlineData("Remedy")]
    [InlineData("GuestUpdate")] // the setting's older name
    public void LaterVariant_Configured_CallsForAKernelUpdateWhereTheKernelLacksTheFix(string policy)
    {
        var options = new RulesOptions { LaterVariantAction = Enum.Parse<LaterVariantPolicy>(policy) };
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("retbleed", "Vulnerable"))), options);

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
    }

    [Fact]
    public void LaterVariant_ConfiguredAndOnlyASettingLeadsThere_CallsForTheSetting()
    {
        var options = new RulesOptions { LaterVariantAction = LaterVariantPolicy.Remedy };
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("mds", "Vulnerable; SMT Host state unknown"))), options);

        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        Assert.Contains("mds=off", Assert.Single(assessment.Findings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LaterVariant_ConfiguredButOnlyTheHostsMicrocodeCouldHelp_NoAction()
    {
        var options = new RulesOptions { LaterVariantAction = LaterVariantPolicy.Remedy };
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("gather_data_sampling", "Vulnerable: No microcode"))), options);

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Contains("microcode", Assert.Single(assessment.Findings).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Not affected")]
    [InlineData("Mitigation: Clear CPU buffers; SMT Host state unknown")]
    [InlineData("Mitigation: Clear CPU buffers; SMT disabled")]
    [InlineData("Unknown: Dependent on hypervisor status")]
    [InlineData("KVM: Mitigation: VMX unsupported")]
    public void LaterVariant_NotVulnerable_NoFinding(string value) =>
        Assert.Empty(new LaterVariantVulnerableRule().Evaluate(Judge.Context(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("mds", value))))));

    [Theory]
    [InlineData("mds", "Mitigation: Clear CPU buffers; SMT vulnerable", "SMT vulnerable")]
    [InlineData("tsa", "Mitigation: Clear CPU buffers: VM", "Mitigation: Clear CPU buffers: VM")]
    [InlineData("spec_rstack_overflow", "Mitigation: safe RET, no microcode", "Mitigation: safe RET, no microcode")]
    [InlineData("spec_rstack_overflow", "Mitigation: microcode", "Mitigation: microcode")]
    [InlineData("indirect_target_selection", "Mitigation: Vulnerable, KVM: Not affected", "Mitigation: Vulnerable, KVM: Not affected")]
    [InlineData("spectre_v2", "Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling; PBRSB-eIBRS: Vulnerable; BHI: Not affected", "PBRSB-eIBRS: Vulnerable")]
    [InlineData("spectre_v2", "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling; PBRSB-eIBRS: SW sequence; BHI: Vulnerable", "BHI: Vulnerable")]
    [InlineData("spectre_v2", "Mitigation: CSV2, but not BHB", "but not BHB")]
    [InlineData("spectre_v2", "Mitigation: Full AMD retpoline, IBPB: conditional, STIBP: disabled, RSB filling", "Mitigation: Full AMD retpoline")]
    public void LaterVariant_HoleBehindAMitigationWording_LowFindingNamingTheClause(string file, string value, string hole)
    {
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched((file, value))));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.LaterVariantVulnerable, finding.Code);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Contains(hole, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mmio_stale_data", "Partially mitigated: Clear CPU buffers")]
    [InlineData("mmio_stale_data", "Unknown: No mitigations")]
    [InlineData("gather_data_sampling", "Unknown: Dependent on hypervisor status")]
    [InlineData("retbleed", "")]
    [InlineData("retbleed", "Mitigation: something new")]
    [InlineData("a_future_issue", "Mitigation: a new mechanism")]
    public void LaterVariant_StateNotEstablished_LowUnverifiedFindingNeverSilence(string file, string value)
    {
        var assessment = Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched((file, value))));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.LaterVariantUnverified, finding.Code);
        Assert.Equal(Severity.Low, finding.Severity);
        Assert.Null(finding.Action);
    }

    [Fact]
    public void LaterVariant_DefaultPolicy_KeepsTheMachineCompliant() =>
        Assert.Equal(ComplianceStatus.Compliant, Judge.Assess(Resources.Vm(os: OsType.Linux), Reports.Linux(Reports.Patched(("retbleed", "Vulnerable")))).Status);

    [Theory]
    [InlineData(0x104u)]
    [InlineData(0u)]
    [InlineData(0x1u)]
    [InlineData(0x1Cu)]
    public void BtiMicrocode_NotEnumerated_InfoNeverAFailure(uint flags)
    {
        // The MDS bits of a current OS, so that only the BTI microcode is missing.
        var assessment = Judge.Assess(Resources.Vm(), Reports.Windows(speculationControl: Reports.Ok(flags | 0x0600_0000)));

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
