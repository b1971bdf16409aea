using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>
/// The remedy follows the cause: a January 2018 mitigation that a boot parameter or a sysctl turns off is a
/// <c>MITIGATION_DISABLED</c> finding naming the setting, never "install a kernel update".
/// </summary>
public sealed class LinuxSettingRulesTests
{
    private static Assessment Assess(LinuxGuestReport report, RulesOptions? options = null) => Judge.Assess(Resources.Vm(os: OsType.Linux), report, options);

    private static LinuxGuestReport Report(string file, string value, params string[] parameters) =>
        Reports.Linux(Reports.Patched((file, value))) with { KernelParameters = parameters };

    [Theory]
    [InlineData("meltdown", "Vulnerable", "nopti")]
    [InlineData("meltdown", "Vulnerable", "pti=off")]
    [InlineData("meltdown", "Vulnerable", "mitigations=off")]
    [InlineData("meltdown", "Vulnerable", "mitigations=auto,no_user_kernel")]
    [InlineData("spectre_v1", "Vulnerable: __user pointer sanitization and usercopy barriers only; no swapgs barriers", "nospectre_v1")]
    [InlineData("spectre_v2", "Vulnerable", "nospectre_v2")]
    [InlineData("spectre_v2", "Vulnerable; IBPB: disabled; STIBP: disabled; PBRSB-eIBRS: Not affected; BHI: Not affected", "spectre_v2=off")]
    [InlineData("spectre_v2", "Vulnerable, IBPB: disabled, STIBP: disabled", "mitigations=off")]
    [InlineData("spectre_v2", "Vulnerable: LFENCE", "spectre_v2=retpoline,lfence")]
    public void Assess_BootParameterTurnsAJanuary2018MitigationOff_MitigationSettingsNamingIt(string file, string value, string parameter)
    {
        var assessment = Assess(Report(file, value, "console=ttyS0", parameter, "quiet"));

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.MitigationDisabled, finding.Code);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains($"remove {parameter} from the kernel command line", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kernel update", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Vulnerable: eIBRS with unprivileged eBPF")]
    [InlineData("Vulnerable: Unprivileged eBPF enabled")]
    [InlineData("Vulnerable: eIBRS+LFENCE with unprivileged eBPF and SMT")]
    [InlineData("vulnerable: EIBRS WITH UNPRIVILEGED EBPF")]
    public void Assess_UnprivilegedEbpfDefeatsTheMitigation_SysctlRemedy(string value)
    {
        var assessment = Assess(Report("spectre_v2", value) with { UnprivilegedBpfDisabled = 0 });

        Assert.Equal([RemediationAction.MitigationSettings], assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.MitigationDisabled, finding.Code);
        Assert.Contains("kernel.unprivileged_bpf_disabled=1", finding.Message, StringComparison.Ordinal);
        var settings = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(finding.Evidence["settings"]);
        Assert.Equal(0u, settings["unprivilegedBpfDisabled"]);
    }

    [Fact]
    public void Assess_SettingOnlyStateOnAnOlderReport_NamesTheParametersThatLeadThere()
    {
        // An older script does not report the command line; the swapgs state has only one way in.
        var assessment = Assess(Reports.Linux(Reports.Patched(("spectre_v1", "Vulnerable: __user pointer sanitization and usercopy barriers only; no swapgs barriers"))));

        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.MitigationDisabled, finding.Code);
        Assert.Contains("nospectre_v1 or mitigations=off", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_VulnerableAndNoParameterLeadsThere_KernelUpdate()
    {
        var assessment = Assess(Report("spectre_v2", "Vulnerable", "mitigations=auto", "console=ttyS0"));

        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.GuestUpdateMissing, finding.Code);
        Assert.DoesNotContain("unless a boot parameter", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_VulnerableOnAnOlderReport_KernelUpdateThatMentionsTheParameters()
    {
        var finding = Assert.Single(Assess(Reports.Linux(Reports.Patched(("meltdown", "Vulnerable")))).Findings);

        Assert.Equal(FindingCode.GuestUpdateMissing, finding.Code);
        Assert.Contains("unless a boot parameter turned it off: nopti or pti=off", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_UpdateAndSettingOnDifferentFiles_BothActions()
    {
        var files = Reports.Patched(("meltdown", "Vulnerable"), ("spectre_v2", "Vulnerable"));
        var assessment = Assess(Reports.Linux(files) with { KernelParameters = ["nospectre_v2"] });

        Assert.Equal([RemediationAction.GuestUpdate, RemediationAction.MitigationSettings], assessment.Actions);
        Assert.Equal(["GUEST_UPDATE_MISSING", "MITIGATION_DISABLED"], assessment.Codes());
    }

    [Theory]
    [InlineData("Mitigation: Full generic retpoline - vulnerable module loaded")]
    [InlineData("Mitigation: Full generic retpoline, IBPB: conditional, IBRS_FW, STIBP: conditional, RSB filling - vulnerable module loaded")]
    [InlineData("Mitigation: Retpolines; IBPB: conditional; IBRS_FW; STIBP: conditional; RSB filling; PBRSB-eIBRS: Not affected; BHI: Retpoline - vulnerable module loaded")]
    [InlineData("Vulnerable: Retpoline with unsafe module(s)")]
    [InlineData("Mitigation: Full generic retpoline (non-retpoline module(s) has been loaded), IBRS_FW, IBPB")]
    public void Assess_ModuleWithoutRetpoline_HighGuestUpdate(string value)
    {
        var assessment = Assess(Reports.Linux(Reports.Patched(("spectre_v2", value))));

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.VulnerableModuleLoaded, finding.Code);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("retpoline", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assess_UnmitigatedAndAModuleLoaded_BothFindings() =>
        Assert.Equal(
            ["GUEST_UPDATE_MISSING", "VULNERABLE_MODULE_LOADED"],
            Assess(Reports.Linux(Reports.Patched(("spectre_v2", "Vulnerable: Minimal generic ASM retpoline - vulnerable module loaded")))).Codes());

    [Theory]
    [InlineData("Vulnerable: Retpoline without IBPB")]
    [InlineData("Vulnerable: Retpoline on Skylake+")]
    public void Assess_RhelRetpolineWithoutVisibleMicrocode_InformationOnly(string value)
    {
        var assessment = Assess(Reports.Linux(Reports.Patched(("spectre_v2", value))));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.BtiMicrocodeNotExposed, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Fact]
    public void Assess_RhelRetpolineOnSkylakeChosenByParameter_MitigationSettings() =>
        Assert.Equal(
            [RemediationAction.MitigationSettings],
            Assess(Report("spectre_v2", "Vulnerable: Retpoline on Skylake+", "spectre_v2=retpoline")).Actions);

    [Theory]
    [InlineData("mds", "Mitigation: Clear CPU buffers; SMT vulnerable", "nosmt", null)]
    [InlineData("l1tf", "Mitigation: PTE Inversion; VMX: vulnerable", "l1tf=off", null)]
    [InlineData("tsa", "Mitigation: Clear CPU buffers: VM", "tsa=vm", null)]
    [InlineData("spectre_v2", "Mitigation: Retpolines; IBPB: disabled; STIBP: disabled; RSB filling; PBRSB-eIBRS: Not affected; BHI: Not affected", "spectre_v2_user=off", null)]
    [InlineData("spectre_v2", "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; PBRSB-eIBRS: SW sequence; BHI: Vulnerable", "spectre_bhi=off", "spectre_bhi=off")]
    [InlineData("retbleed", "Vulnerable", "retbleed=off", "retbleed=off")]
    public void Assess_LaterVariantHoleASettingCauses_RemedyNamesTheSetting(string file, string value, string setting, string? reported)
    {
        var report = Reports.Linux(Reports.Patched((file, value))) with { KernelParameters = reported is null ? null : ["quiet", reported] };

        var finding = Assert.Single(Assess(report).Findings);

        Assert.Equal(FindingCode.LaterVariantVulnerable, finding.Code);
        Assert.Contains(setting, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kernel update", finding.Message, StringComparison.Ordinal);
    }
}
