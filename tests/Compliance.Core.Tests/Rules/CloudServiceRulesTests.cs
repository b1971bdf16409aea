using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Rules;

/// <summary>The Cloud Service rows of the verdict table, through the full assessor.</summary>
public sealed class CloudServiceRulesTests
{
    private static readonly IReadOnlyDictionary<string, string> _untrusted = Resources.Tags(("compliance-untrusted-code", "true"));

    [Theory]
    [InlineData("5", "*")]
    [InlineData("4", null)]
    [InlineData("2", "")]
    [InlineData("6", "*")]
    [InlineData(null, "*")]
    public void Assess_AutomaticUpgrade_Compliant(string? family, string? version)
    {
        var assessment = Judge.Assess(Resources.CloudService(Resources.Cscfg(family, version)));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Empty(assessment.Findings);
    }

    [Theory]
    [InlineData("5", "WA-GUEST-OS-5.14_201712-01")]
    [InlineData("4", "WA-GUEST-OS-4.49_201712-01")]
    [InlineData("3", "WA-GUEST-OS-3.56_201712-01")]
    [InlineData("2", "WA-GUEST-OS-2.12_201208-02")]
    [InlineData(null, "WA-GUEST-OS-5.14_201712-01")]
    public void Assess_PinnedBefore201801_GuestUpdate(string? family, string version)
    {
        var assessment = Judge.Assess(Resources.CloudService(Resources.Cscfg(family, version)));

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.GuestUpdate], assessment.Actions);
        var finding = Assert.Single(assessment.Findings);
        Assert.Equal(FindingCode.CloudServiceGuestOsOutdated, finding.Code);
        Assert.Equal(Severity.High, finding.Severity);
        Assert.Contains("WA-GUEST-OS-5.15_201801-01", finding.Message, StringComparison.Ordinal);
        Assert.Equal(version, finding.Evidence["osVersion"]);
    }

    [Theory]
    [InlineData("5", "WA-GUEST-OS-5.15_201801-01")]
    [InlineData("4", "WA-GUEST-OS-4.50_201801-01")]
    [InlineData("5", "WA-GUEST-OS-5.40_202002-01")]
    [InlineData("6", "WA-GUEST-OS-6.16_202001-01")]
    [InlineData("5", "wa-guest-os-5.16_201802-01")]
    public void Assess_Pinned201801OrLater_Compliant(string family, string version) =>
        Assert.Equal(ComplianceStatus.Compliant, Judge.Assess(Resources.CloudService(Resources.Cscfg(family, version))).Status);

    [Fact]
    public void Assess_PinnedOutdated_SuggestsTheCatalogueDefault()
    {
        var catalogue = new[]
        {
            new GuestOsRelease("WA-GUEST-OS-5.14_201712-01", "5", false, false, null),
            new GuestOsRelease("WA-GUEST-OS-5.40_202002-01", "5", true, true, null),
            new GuestOsRelease("WA-GUEST-OS-4.75_202002-01", "4", true, true, null),
        };

        var finding = Assert.Single(Judge.Assess(Resources.CloudService(Resources.Cscfg("5", "WA-GUEST-OS-5.14_201712-01"), catalogue: catalogue)).Findings);

        Assert.Contains("WA-GUEST-OS-5.40_202002-01", finding.Message, StringComparison.Ordinal);
        Assert.Equal(true, finding.Evidence["inCatalogue"]);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("3")]
    [InlineData("4")]
    [InlineData("5")]
    public void Assess_UntrustedOnFamily2To5_KvaShadowingUnverified(string family)
    {
        var assessment = Judge.Assess(Resources.CloudService(Resources.Cscfg(family, "*"), _untrusted));

        Assert.Equal(ComplianceStatus.ActionRequired, assessment.Status);
        Assert.Equal([RemediationAction.KvaShadowing], assessment.Actions);
        Assert.Equal(["KVA_SHADOWING_UNVERIFIED", "UNTRUSTED_CODE_HOST"], assessment.Codes());
        Assert.Equal(Severity.Medium, assessment.Findings.Single(f => f.Code == FindingCode.KvaShadowingUnverified).Severity);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("7")]
    public void Assess_UntrustedOnFamily6OrLater_NeedsNothing(string family)
    {
        var assessment = Judge.Assess(Resources.CloudService(Resources.Cscfg(family, "*"), _untrusted));

        Assert.Equal(ComplianceStatus.Compliant, assessment.Status);
        Assert.Equal(["UNTRUSTED_CODE_HOST"], assessment.Codes());
    }

    [Fact]
    public void Assess_UntrustedTagFalse_NoKvaFinding() =>
        Assert.Equal(ComplianceStatus.Compliant, Judge.Assess(Resources.CloudService(Resources.Cscfg("5", "*"), Resources.Tags(("compliance-untrusted-code", "false")))).Status);

    [Fact]
    public void Assess_UntrustedAndOutdated_BothActions()
    {
        var assessment = Judge.Assess(Resources.CloudService(Resources.Cscfg("4", "WA-GUEST-OS-4.49_201712-01"), _untrusted));

        Assert.Equal([RemediationAction.GuestUpdate, RemediationAction.KvaShadowing], assessment.Actions);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<ServiceConfiguration osFamily=\"5\"")]
    [InlineData("<Other osFamily=\"5\" />")]
    [InlineData("<ServiceConfiguration osFamily=\"five\" osVersion=\"*\" />")]
    [InlineData("<ServiceConfiguration osFamily=\"5\" osVersion=\"latest\" />")]
    [InlineData("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><ServiceConfiguration osFamily=\"5\" osVersion=\"&e;\" />")]
    public void Assess_UnreadableConfiguration_UnknownWithCheckFailed(string? configuration)
    {
        var assessment = Judge.Assess(Resources.CloudService(configuration));

        Assert.Equal(ComplianceStatus.Unknown, assessment.Status);
        Assert.Equal(["CHECK_FAILED"], assessment.Codes());
    }

    [Fact]
    public void Assess_CloudService_HasNoOs() =>
        Assert.Null(Judge.Assess(Resources.CloudService(Resources.Cscfg("5", "*"))).Resource.Os);
}
