using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

public sealed class KvaShadowingRequiredRuleTests
{
    // Class 196: 0x30 = required and reported, not enabled.
    private static readonly KernelQuery _kvaOff = Reports.Ok(0x30);
    private static readonly IReadOnlyDictionary<string, string> _untrustedTag = Resources.Tags(("compliance-untrusted-code", "true"));

    private static List<Finding> Evaluate(WindowsGuestReport report, IReadOnlyDictionary<string, string>? tags = null, RulesOptions? options = null) =>
        new KvaShadowingRequiredRule().Evaluate(Judge.Context(Resources.Vm(tags: tags), report, options)).ToList();

    [Theory]
    [InlineData("RDS-RD-Server")]
    [InlineData("Hyper-V")]
    [InlineData("Containers")]
    [InlineData("rds-rd-server")]
    public void Evaluate_UntrustedRoleAndKvaOff_Required(string feature)
    {
        var finding = Assert.Single(Evaluate(Reports.Windows(kvaShadow: _kvaOff, features: [feature])));

        Assert.Equal(FindingCode.KvaShadowingRequired, finding.Code);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Equal(RemediationAction.KvaShadowing, finding.Action);
        Assert.Contains("KB4072698", finding.Message, StringComparison.Ordinal);
        Assert.Equal(false, finding.Evidence["rebootPending"]);
    }

    [Fact]
    public void Evaluate_UntrustedTagAndKvaOff_Required() =>
        Assert.Single(Evaluate(Reports.Windows(kvaShadow: _kvaOff), _untrustedTag));

    [Theory]
    [InlineData("false")]
    [InlineData("no")]
    [InlineData("")]
    [InlineData("1")]
    public void Evaluate_TagNotTrue_DoesNotCount(string value) =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: _kvaOff), Resources.Tags(("compliance-untrusted-code", value))));

    [Fact]
    public void Evaluate_TagNameAndValueCase_Ignored() =>
        Assert.Single(Evaluate(Reports.Windows(kvaShadow: _kvaOff), Resources.Tags(("Compliance-Untrusted-Code", " TRUE "))));

    [Fact]
    public void Evaluate_ConfiguredTagName_IsTheOneThatCounts()
    {
        var options = new RulesOptions { UntrustedCodeTagName = "runs-customer-code" };

        Assert.Single(Evaluate(Reports.Windows(kvaShadow: _kvaOff), Resources.Tags(("runs-customer-code", "true")), options));
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: _kvaOff), _untrustedTag, options));
    }

    [Fact]
    public void Evaluate_NotUntrusted_NoFinding() =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: _kvaOff, features: ["Web-Server"])));

    [Fact]
    public void Evaluate_KvaEnabled_NoFinding() =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0x31)), _untrustedTag));

    [Fact]
    public void Evaluate_AmdWithoutKernelAnswer_NotRequired() =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0), manufacturer: CpuInfo.Amd), _untrustedTag));

    [Fact]
    public void Evaluate_IntelWithoutKernelAnswer_Required() =>
        Assert.Single(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0), manufacturer: CpuInfo.Intel), _untrustedTag));

    [Fact]
    public void Evaluate_UnknownVendorWithoutKernelAnswer_CountsAsRequired() =>
        Assert.Single(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0), manufacturer: null), _untrustedTag));

    [Fact]
    public void Evaluate_KernelSaysNotRequired_NoFinding_EvenOnIntel() =>
        // 0x20 set, 0x10 clear: the kernel reports that this CPU does not need KVA shadow.
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0x20), manufacturer: CpuInfo.Intel), _untrustedTag));

    [Fact]
    public void Evaluate_KernelSaysRequired_Finding_EvenOnAmd() =>
        Assert.Single(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0x30), manufacturer: CpuInfo.Amd), _untrustedTag));

    [Fact]
    public void Evaluate_RequiredFlagWithoutReportedFlag_FallsBackToVendor() =>
        // 0x10 without 0x20 is not the kernel's answer: AMD stays not required.
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Ok(0x10), manufacturer: CpuInfo.Amd), _untrustedTag));

    [Fact]
    public void Evaluate_RdclNo_NotRequired_WhateverClass196Says() =>
        Assert.Empty(Evaluate(Reports.Windows(speculationControl: Reports.Ok(0x379, 0x1800), kvaShadow: _kvaOff), _untrustedTag));

    [Fact]
    public void Evaluate_RdclNoWithoutReportedBit_DoesNotCount() =>
        Assert.Single(Evaluate(Reports.Windows(speculationControl: Reports.Ok(0x379, 0x1000), kvaShadow: _kvaOff), _untrustedTag));

    [Fact]
    public void Evaluate_RegistryAlreadyAsks_SaysRebootPending()
    {
        var report = Reports.Windows(kvaShadow: _kvaOff, registry: new WindowsRegistry(0, 3, null, 0));

        var finding = Assert.Single(Evaluate(report, _untrustedTag));

        Assert.Contains("reboot is pending", finding.Message, StringComparison.Ordinal);
        Assert.Equal(true, finding.Evidence["rebootPending"]);
    }

    [Theory]
    [InlineData(3u, 3u)] // disabled by policy
    [InlineData(2u, 3u)]
    [InlineData(0u, 1u)] // mask does not cover bit 0x2
    public void Evaluate_RegistryDoesNotAsk_NoRebootPending(uint value, uint mask)
    {
        var report = Reports.Windows(kvaShadow: _kvaOff, registry: new WindowsRegistry(value, mask, null, 0));

        var finding = Assert.Single(Evaluate(report, _untrustedTag));

        Assert.DoesNotContain("reboot is pending", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OsSupportMissingOnIntel_Required()
    {
        var report = Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported);

        var finding = Assert.Single(Evaluate(report, _untrustedTag));

        Assert.Contains("lacks KVA shadow support", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_OsSupportMissingOnAmd_NotRequired() =>
        Assert.Empty(Evaluate(Reports.Windows(speculationControl: Reports.NotSupported, kvaShadow: Reports.NotSupported, manufacturer: CpuInfo.Amd), _untrustedTag));

    [Fact]
    public void Evaluate_Class196Error_LeftToCheckFailed() =>
        Assert.Empty(Evaluate(Reports.Windows(kvaShadow: Reports.Error()), _untrustedTag));

    [Fact]
    public void Evaluate_LinuxUntrusted_NoFinding() =>
        Assert.Empty(new KvaShadowingRequiredRule().Evaluate(Judge.Context(Resources.Vm(os: OsType.Linux, tags: _untrustedTag), Reports.Linux())));
}
