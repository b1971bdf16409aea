using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Remediation;

/// <summary>
/// The catalogue of constant remediation scripts, and the choice among them for a machine's findings as the rules
/// produce them (in memory, and read back from the stored JSON).
/// </summary>
public sealed partial class RemediationScriptsTests
{
    private static readonly IReadOnlyDictionary<string, string> _untrusted = Resources.Tags(("compliance-untrusted-code", "true"));

    // Class 201 of a current OS with BTI off by policy (microcode visible), and with the MDS mitigation reported but off.
    private const uint BtiOff = (Reports.CurrentFlags & ~WindowsMitigations.BpbEnabled) | WindowsMitigations.BpbDisabledSystemPolicy;
    private const uint MdsOff = Reports.CurrentFlags & ~WindowsMitigations.MbClearEnabled;

    // Class 196: KVA shadow required (0x10 with 0x20) and not enabled.
    private const uint KvasOff = Reports.CurrentKvaFlags & ~WindowsMitigations.KvaShadowEnabled;

    private static IReadOnlyList<ReportFinding> Findings(GuestReport report, OsType os = OsType.Windows, bool json = false)
    {
        var assessment = Judge.Assess(Resources.Vm(os: os, tags: _untrusted), report);
        var resource = ComplianceReportBuilder.ToResource(assessment);
        if (!json)
        {
            return resource.Findings;
        }

        // As a stored verdict comes back: evidence values are JSON elements.
        var stored = ComplianceReportBuilder.Build("scan", TestTime.Start, TestTime.Start, [assessment], []);
        return ComplianceReportJson.Deserialize(ComplianceReportJson.Serialize(stored)).Resources.Single().Findings;
    }

    private static WindowsGuestReport Windows(uint flags = Reports.CurrentFlags, uint kva = Reports.CurrentKvaFlags, WindowsRegistry? registry = null, bool hyperV = false) =>
        Reports.Windows(
            speculationControl: Reports.Ok(flags),
            kvaShadow: Reports.Ok(kva),
            registry: registry ?? new WindowsRegistry(null, null, null, 0),
            features: hyperV ? ["Hyper-V"] : []);

    private static string[] Names(RemediationScriptChoice choice) => choice.Scripts.Select(s => s.Name).ToArray();

    [Fact]
    public void All_FiveConstantScriptsWithTheirSettingsAndRestartNeeds()
    {
        Assert.Equal(
            ["windows-spectre-meltdown", "windows-mds", "windows-mds-without-smt", "windows-hyperv-min-vm-version", "linux-unprivileged-bpf"],
            RemediationScripts.All.Select(s => s.Name));
        Assert.All(RemediationScripts.All.Where(s => s.Os == OsType.Windows), s =>
        {
            Assert.True(s.NeedsRestart, s.Name);
            Assert.Equal("RunPowerShellScript", s.Script.CommandId);
        });
        var linux = Assert.Single(RemediationScripts.All, s => s.Os == OsType.Linux);
        Assert.False(linux.NeedsRestart);
        Assert.Equal("RunShellScript", linux.Script.CommandId);
        Assert.False(RemediationScripts.Find("windows-mds-without-smt")!.IsDefault);
        Assert.Equal(RemediationAction.KvaShadowing, RemediationScripts.Find("windows-spectre-meltdown")!.Action);
    }

    [Theory]
    [InlineData("windows-spectre-meltdown", "$OverrideBits = [int64]0")]
    [InlineData("windows-mds", "$OverrideBits = [int64]72")]
    [InlineData("windows-mds-without-smt", "$OverrideBits = [int64]8264")]
    [InlineData("windows-hyperv-min-vm-version", "$Value = '1.0'")]
    [InlineData("linux-unprivileged-bpf", "sysctl -q -w kernel.unprivileged_bpf_disabled=1")]
    public void Scripts_AreConstantEmbeddedFilesCarryingTheirMarkerAndValue(string name, string value)
    {
        var script = RemediationScripts.Find(name)!;
        var extension = script.Os == OsType.Windows ? "ps1" : "sh";
        using var stream = typeof(RemediationScripts).Assembly.GetManifestResourceStream($"Compliance.Core.Remediation.Scripts.{name}.{extension}")!;
        using var reader = new StreamReader(stream);

        Assert.Equal(reader.ReadToEnd(), script.Script.Text);
        Assert.Contains(value, script.Script.Text, StringComparison.Ordinal);
        // The marker line the emulator recognises a script by (it has no reference to this assembly).
        Assert.Contains($"# compliance-remediation: {name}\n", script.Script.Text, StringComparison.Ordinal);
        Assert.All(script.Script.Text, c => Assert.True(c is '\n' or '\t' || (c >= ' ' && c < 127), $"character U+{(int)c:X4}"));
        Assert.DoesNotMatch(PlaceholderPattern(), script.Script.Text);
        Assert.DoesNotContain("param(", script.Script.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("$args", script.Script.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(script.Script.Text))), script.Script.Sha256);
        Assert.Same(script, RemediationScripts.Find(name.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("ConvertTo-Json")]
    [InlineData("[ordered]")]
    [InlineData("Get-CimInstance")]
    [InlineData("::new(")]
    [InlineData(" -in ")]
    [InlineData(" -notin ")]
    [InlineData("$PSItem")]
    [InlineData("?.")]
    [InlineData("??")]
    [InlineData("-shl")]
    [InlineData("-shr")]
    [InlineData("using namespace")]
    public void WindowsScripts_UseNothingNewerThanPowerShell2(string construct) =>
        Assert.All(RemediationScripts.All.Where(s => s.Os == OsType.Windows), s =>
            Assert.DoesNotContain(construct, s.Script.Text, StringComparison.OrdinalIgnoreCase));

    [Fact]
    public void Find_UnknownName_Null()
    {
        Assert.Null(RemediationScripts.Find("windows-everything"));
        Assert.Null(RemediationScripts.Find(""));
    }

    [Fact]
    public void Choose_KvasFinding_SpectreMeltdown()
    {
        var choice = RemediationScripts.Choose(OsType.Windows, Findings(Windows(kva: KvasOff)), null);

        Assert.Equal(["windows-spectre-meltdown"], Names(choice));
        Assert.Empty(choice.Unremediable);
    }

    [Fact]
    public void Choose_BtiFinding_SpectreMeltdown()
    {
        var findings = Findings(Windows(flags: BtiOff, registry: new WindowsRegistry(3, 3, null, 0)));
        Assert.Contains(findings, f => f.Code == "BTI_DISABLED");

        Assert.Equal(["windows-spectre-meltdown"], Names(RemediationScripts.Choose(OsType.Windows, findings, null)));
    }

    [Fact]
    public void Choose_KvasRebootPending_TheSameScriptSoThatTheRestartApplies()
    {
        var findings = Findings(Windows(kva: KvasOff, registry: new WindowsRegistry(0, 3, null, 0)));
        Assert.Contains("reboot is pending", findings.Single(f => f.Code == "KVA_SHADOWING_REQUIRED").Message, StringComparison.Ordinal);

        Assert.Equal(["windows-spectre-meltdown"], Names(RemediationScripts.Choose(OsType.Windows, findings, null)));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Choose_KvasAndMds_OnlyWindowsMdsNeverTwoOverrideValues(bool json)
    {
        var findings = Findings(Windows(flags: MdsOff & ~WindowsMitigations.BpbEnabled | WindowsMitigations.BpbDisabledSystemPolicy, kva: KvasOff), json: json);
        Assert.Equal(["BTI_DISABLED", "KVA_SHADOWING_REQUIRED", "MDS_MITIGATION_DISABLED"], findings.Select(f => f.Code).Where(c => c != "UNTRUSTED_CODE_HOST").Order(StringComparer.Ordinal));

        var choice = RemediationScripts.Choose(OsType.Windows, findings, null);

        Assert.Equal(["windows-mds"], Names(choice));
        Assert.Empty(choice.Unremediable);
    }

    [Fact]
    public void Choose_MmioFinding_WindowsMdsWithTheHostCaveat()
    {
        var findings = new[] { Finding("MMIO_STALE_DATA_UNMITIGATED") };

        var choice = RemediationScripts.Choose(OsType.Windows, findings, null);

        Assert.Equal(["windows-mds"], Names(choice));
        var line = Assert.Single(choice.Unremediable);
        Assert.StartsWith("MMIO_STALE_DATA_UNMITIGATED:", line, StringComparison.Ordinal);
        Assert.Contains("Azure Support", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_HyperVHostWithKvas_BothSettingsInCatalogueOrder()
    {
        var findings = Findings(Windows(kva: KvasOff, hyperV: true), json: true);
        Assert.Contains(findings, f => f.Code == "HYPERV_MIN_VM_VERSION_MISSING");

        Assert.Equal(["windows-spectre-meltdown", "windows-hyperv-min-vm-version"], Names(RemediationScripts.Choose(OsType.Windows, findings, null)));
    }

    [Fact]
    public void Choose_NamedWithoutSmt_ReplacesTheDefaultOfItsSettingOnly()
    {
        var findings = Findings(Windows(flags: MdsOff, hyperV: true));

        var choice = RemediationScripts.Choose(OsType.Windows, findings, ["Windows-MDS-Without-SMT"]);

        Assert.Equal(["windows-mds-without-smt", "windows-hyperv-min-vm-version"], Names(choice));
    }

    [Fact]
    public void Choose_NamedSpectreMeltdownWithMds_MdsLeftWithTheScriptsThatWould()
    {
        var findings = Findings(Windows(flags: MdsOff, kva: KvasOff));

        var choice = RemediationScripts.Choose(OsType.Windows, findings, ["windows-spectre-meltdown"]);

        Assert.Equal(["windows-spectre-meltdown"], Names(choice));
        var line = Assert.Single(choice.Unremediable);
        Assert.Equal("MDS_MITIGATION_DISABLED: windows-spectre-meltdown does not change it; windows-mds or windows-mds-without-smt would.", line);
    }

    [Fact]
    public void Choose_TwoOverrideScriptsNamed_Refused()
    {
        var findings = Findings(Windows(flags: MdsOff));

        var ex = Assert.Throws<ArgumentException>(() => RemediationScripts.Choose(OsType.Windows, findings, ["windows-mds", "windows-mds-without-smt"]));

        Assert.Contains("both write FeatureSettingsOverride", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_NamedScriptThatDoesNotApply_Refused()
    {
        var findings = Findings(Windows(kva: KvasOff));

        var ex = Assert.Throws<ArgumentException>(() => RemediationScripts.Choose(OsType.Windows, findings, ["windows-hyperv-min-vm-version"]));

        Assert.Contains("'windows-hyperv-min-vm-version' does not apply", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_ScriptForAnotherOs_Refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RemediationScripts.Choose(OsType.Windows, Findings(Windows(kva: KvasOff)), ["linux-unprivileged-bpf"]));

        Assert.Contains("is for Linux, and this machine runs Windows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_UnknownName_RefusedWithTheNameMadeInert()
    {
        var ex = Assert.Throws<ArgumentException>(() => RemediationScripts.Choose(OsType.Windows, Findings(Windows(kva: KvasOff)), ["evil\u001b]0;x\u0007"]));

        Assert.Contains("There is no remediation script 'evil<U+001B>]0;x<U+0007>'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', ex.Message);
    }

    [Fact]
    public void Choose_KvasOnAnOsWithoutKvaShadowSupport_NoScriptTheUpdateFirst()
    {
        var findings = Findings(Reports.Windows(kvaShadow: Reports.NotSupported));
        Assert.Contains(findings, f => f.Code == "KVA_SHADOWING_REQUIRED");

        var choice = RemediationScripts.Choose(OsType.Windows, findings, null);

        Assert.Empty(choice.Scripts);
        Assert.Contains(choice.Unremediable, l => l.StartsWith("KVA_SHADOWING_REQUIRED: the OS lacks KVA shadow support", StringComparison.Ordinal));
    }

    [Fact]
    public void Choose_CompliantMachine_Nothing()
    {
        var choice = RemediationScripts.Choose(OsType.Windows, Findings(Windows()), null);

        Assert.Empty(choice.Scripts);
        Assert.Empty(choice.Unremediable);
    }

    [Theory]
    [InlineData("Vulnerable: eIBRS with unprivileged eBPF", false)]
    [InlineData("Vulnerable: Unprivileged eBPF enabled", true)]
    [InlineData("Vulnerable: eIBRS+LFENCE with unprivileged eBPF and SMT", false)]
    public void Choose_LinuxUnprivilegedEbpf_TheSysctlScript(string value, bool json)
    {
        var report = Reports.Linux(Reports.Patched(("spectre_v2", value))) with { UnprivilegedBpfDisabled = 0, KernelParameters = [] };
        var findings = Findings(report, OsType.Linux, json);
        Assert.Contains(findings, f => f.Code == "MITIGATION_DISABLED");

        var choice = RemediationScripts.Choose(OsType.Linux, findings, null);

        Assert.Equal(["linux-unprivileged-bpf"], Names(choice));
        Assert.Empty(choice.Unremediable);
    }

    [Fact]
    public void Choose_LinuxBootParameter_ExplainedNotEdited()
    {
        var report = Reports.Linux(Reports.Patched(("meltdown", "Vulnerable"))) with { KernelParameters = ["nopti"] };
        var findings = Findings(report, OsType.Linux);

        var choice = RemediationScripts.Choose(OsType.Linux, findings, null);

        Assert.Empty(choice.Scripts);
        var line = Assert.Single(choice.Unremediable);
        Assert.StartsWith("MITIGATION_DISABLED (meltdown): explained, not edited: remove nopti from the kernel command line", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_LinuxBootParameterAndEbpf_TheSysctlAndALineForTheParameter()
    {
        var report = Reports.Linux(Reports.Patched(("meltdown", "Vulnerable"), ("spectre_v2", "Vulnerable: eIBRS with unprivileged eBPF")))
            with { KernelParameters = ["nopti"], UnprivilegedBpfDisabled = 0 };

        var choice = RemediationScripts.Choose(OsType.Linux, Findings(report, OsType.Linux, json: true), null);

        Assert.Equal(["linux-unprivileged-bpf"], Names(choice));
        Assert.Contains(choice.Unremediable, l => l.StartsWith("MITIGATION_DISABLED (meltdown): explained, not edited", StringComparison.Ordinal));
    }

    [Fact]
    public void Choose_LinuxNamedSysctlWithoutEbpfFinding_Refused()
    {
        var report = Reports.Linux(Reports.Patched(("meltdown", "Vulnerable"))) with { KernelParameters = ["nopti"] };

        Assert.Throws<ArgumentException>(() => RemediationScripts.Choose(OsType.Linux, Findings(report, OsType.Linux), ["linux-unprivileged-bpf"]));
    }

    [Fact]
    public void Choose_WindowsFindingsOnLinux_Ignored()
    {
        var choice = RemediationScripts.Choose(OsType.Linux, [Finding("KVA_SHADOWING_REQUIRED"), Finding("MDS_MITIGATION_DISABLED")], null);

        Assert.Empty(choice.Scripts);
        Assert.Empty(choice.Unremediable);
    }

    [Fact]
    public void Choose_LinuxFindingWithoutReadings_ExplainedWithItsMessageMadeInert()
    {
        var choice = RemediationScripts.Choose(OsType.Linux, [Finding("MITIGATION_DISABLED", "turn \u001b[31mit\u202e off")], null);

        var line = Assert.Single(choice.Unremediable);
        Assert.Equal("MITIGATION_DISABLED: explained, not edited: turn <U+001B>[31mit<U+202E> off", line);
    }

    private static ReportFinding Finding(string code, string message = "m") =>
        new(code, "High", message, new Dictionary<string, object?>());

    [GeneratedRegex(@"\{\d+\}|\{\{|@@|<%|__[A-Z]+__|@[A-Z]+@")]
    private static partial Regex PlaceholderPattern();
}
