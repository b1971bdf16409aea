using Compliance.Core.Inventory;

namespace Compliance.Core.Tests.Inventory;

public sealed class GuestOsVersionTests
{
    [Theory]
    [InlineData("WA-GUEST-OS-5.15_201801-01", 5, 15, 201801, 1)]
    [InlineData("WA-GUEST-OS-2.12_201208-02", 2, 12, 201208, 2)]
    [InlineData(" wa-guest-os-7.5_202111-01 ", 7, 5, 202111, 1)]
    public void TryParse_ConfigurationString_ReadsItsParts(string text, int family, int version, int month, int release)
    {
        Assert.True(GuestOsVersion.TryParse(text, out var parsed));
        Assert.Equal(new GuestOsVersion(family, version, month, release), parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("*")]
    [InlineData("WA-GUEST-OS-5.15_2018-01")]
    [InlineData("WA-GUEST-OS-5.15_201813-01")]
    [InlineData("WA-GUEST-OS-5_201801-01")]
    [InlineData("5.15_201801-01")]
    public void TryParse_AnythingElse_False(string? text) =>
        Assert.False(GuestOsVersion.TryParse(text, out _));

    [Fact]
    public void PatchMonthText_IsYearAndMonth()
    {
        GuestOsVersion.TryParse("WA-GUEST-OS-5.14_201712-01", out var version);

        Assert.Equal("2017-12", version!.PatchMonthText);
    }
}
