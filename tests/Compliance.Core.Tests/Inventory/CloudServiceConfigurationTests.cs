using Compliance.Core.Inventory;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Inventory;

public sealed class CloudServiceConfigurationTests
{
    [Fact]
    public void Parse_PinnedVersion_ReadsFamilyAndVersion()
    {
        var (configuration, error) = CloudServiceConfiguration.Parse(Resources.Cscfg("5", "WA-GUEST-OS-5.14_201712-01"));

        Assert.Null(error);
        Assert.False(configuration!.IsAutomaticUpgrade);
        Assert.Equal(5, configuration.Family);
        Assert.Equal(201712, configuration.PinnedVersion!.PatchMonth);
    }

    [Theory]
    [InlineData(null, null, 1)]
    [InlineData(null, "*", 1)]
    [InlineData("4", null, 4)]
    [InlineData(null, "WA-GUEST-OS-3.57_201801-01", 3)]
    public void Family_FollowsTheDocumentedDefaults(string? family, string? version, int expected) =>
        Assert.Equal(expected, CloudServiceConfiguration.Parse(Resources.Cscfg(family, version)).Configuration!.Family);

    [Fact]
    public void Parse_Dtd_Refused()
    {
        var (configuration, error) = CloudServiceConfiguration.Parse("<!DOCTYPE ServiceConfiguration [<!ENTITY x \"5\">]><ServiceConfiguration osFamily=\"&x;\" />");

        Assert.Null(configuration);
        Assert.Contains("not well-formed", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_WithoutNamespace_StillRead() =>
        Assert.Equal(6, CloudServiceConfiguration.Parse("<ServiceConfiguration osFamily=\"6\" osVersion=\"*\"/>").Configuration!.Family);
}
