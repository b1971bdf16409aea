using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

public sealed class GuestUpdateMissingRuleTests
{
    private static List<Finding> Evaluate(GuestReport report, OsType os) =>
        new GuestUpdateMissingRule().Evaluate(Judge.Context(Resources.Vm(os: os), report)).ToList();

    [Fact]
    public void Evaluate_PatchedWindows_NoFinding() =>
        Assert.Empty(Evaluate(Reports.Windows(), OsType.Windows));

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Evaluate_WindowsQueryNotSupported_HighGuestUpdate(bool speculationControlMissing, bool kvaShadowMissing)
    {
        var report = Reports.Windows(
            speculationControl: speculationControlMissing ? Reports.NotSupported : null,
            kvaShadow: kvaShadowMissing ? Reports.NotSupported : null);

        var finding = Assert.Single(Evaluate(report, OsType.Windows));

        Assert.Equal(FindingCode.GuestUpdateMissing, finding.Code);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(RemediationAction.GuestUpdate, finding.Action);
        Assert.Contains("KB4072698", finding.Message, StringComparison.Ordinal);
        Assert.Contains("speculationControl", finding.Evidence.Keys);
    }

    [Fact]
    public void Evaluate_WindowsClientEdition_CitesClientGuidance()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, productType: 1);

        Assert.Contains("KB4073119", Assert.Single(Evaluate(report, OsType.Windows)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_WindowsQueryError_IsNotAMissingUpdate() =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Error()), OsType.Windows));

    [Fact]
    public void Evaluate_PatchedLinux_NoFinding() =>
        Assert.Empty(Evaluate(Reports.Linux(), OsType.Linux));

    [Fact]
    public void Evaluate_LinuxWithoutVulnerabilitiesDirectory_GuestUpdate()
    {
        var finding = Assert.Single(Evaluate(Reports.Linux(nullVulnerabilities: true), OsType.Linux));

        Assert.Equal(RemediationAction.GuestUpdate, finding.Action);
        Assert.Contains("does not exist", finding.Message, StringComparison.Ordinal);
        Assert.Null(finding.Evidence["vulnerabilities"]);
    }

    [Theory]
    [InlineData("meltdown")]
    [InlineData("spectre_v1")]
    [InlineData("spectre_v2")]
    public void Evaluate_LinuxFileMissing_GuestUpdate(string file)
    {
        var files = Reports.Patched();
        files.Remove(file);

        var finding = Assert.Single(Evaluate(Reports.Linux(files), OsType.Linux));

        Assert.Contains($"does not report {file}", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("meltdown", "Vulnerable")]
    [InlineData("spectre_v2", "Vulnerable: Minimal generic ASM retpoline")]
    [InlineData("spectre_v2", "vulnerable")]
    [InlineData("spectre_v2", "  vulnerable: minimal AMD asm retpoline ")]
    [InlineData("spectre_v1", "Vulnerable")]
    public void Evaluate_LinuxFileVulnerable_GuestUpdate(string file, string value)
    {
        var finding = Assert.Single(Evaluate(Reports.Linux(Reports.Patched((file, value))), OsType.Linux));

        Assert.Equal(FindingCode.GuestUpdateMissing, finding.Code);
        Assert.Contains(value, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    // Before Linux 6.9 the spectre_v2 clauses are separated by commas, since then by semicolons; either way the first
    // clause decides the January 2018 issue, and a later clause's hole is a later-variant finding, not an update.
    [InlineData("Mitigation: Full generic retpoline, IBPB: conditional, IBRS_FW, STIBP: disabled, RSB filling")]
    [InlineData("Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling; PBRSB-eIBRS: Not affected; BHI: Retpoline")]
    [InlineData("Mitigation: Retpolines, IBPB: conditional, STIBP: disabled, RSB filling, PBRSB-eIBRS: Vulnerable")]
    [InlineData("Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling; PBRSB-eIBRS: SW sequence; BHI: Vulnerable")]
    [InlineData("Not affected")]
    public void Evaluate_LinuxSpectreV2Mitigated_WithEitherSeparator_NoFinding(string spectreV2) =>
        Assert.Empty(Evaluate(Reports.Linux(Reports.Patched(("spectre_v2", spectreV2))), OsType.Linux));

    [Fact]
    public void Evaluate_LaterVariantVulnerable_IsNotAMissingUpdate() =>
        Assert.Empty(Evaluate(Reports.Linux(Reports.Patched(("mds", "Vulnerable"))), OsType.Linux));
}
