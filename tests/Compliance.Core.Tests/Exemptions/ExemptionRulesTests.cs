using Compliance.Core.Exemptions;
using static Compliance.Core.Tests.Exemptions.ExemptionSamples;

namespace Compliance.Core.Tests.Exemptions;

public sealed class ExemptionRulesTests
{
    [Theory]
    [InlineData("w1", true)]
    [InlineData("Waiver.2026-Q4_build", true)]
    [InlineData("-w", false)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("w1\n", false)]
    [InlineData("' or 1 eq 1", false)]
    public void IsValidId(string id, bool valid) => Assert.Equal(valid, ExemptionRules.IsValidId(id));

    [Fact]
    public void IsValidId_AtMost64Characters()
    {
        Assert.True(ExemptionRules.IsValidId(new string('a', 64)));
        Assert.False(ExemptionRules.IsValidId(new string('a', 65)));
    }

    [Fact]
    public void Validate_GoodRequest_NormalisesIt()
    {
        var exemption = ExemptionRules.Validate("w1", Request(Rg("rg1").ToUpperInvariant() + "/", ["guestupdate", "GuestUpdate"], expiresOn: T0.AddDays(1), category: "mitigated", justification: "  handled by the hypervisor  "), T0, out var errors);

        Assert.Empty(errors);
        Assert.Equal($"/subscriptions/{Subscription}/resourceGroups/RG1", exemption!.Scope);
        Assert.Equal(["GuestUpdate"], exemption.Actions);
        Assert.Equal(ExemptionCategory.Mitigated, exemption.Category);
        Assert.Equal("handled by the hypervisor", exemption.Justification);
    }

    [Fact]
    public void Validate_BadRequest_NamesEveryField()
    {
        var exemption = ExemptionRules.Validate("bad id", new ExemptionRequest("/subscriptions/not-a-guid", "Accepted", ["Reboot"], ["lower"], T0.AddMinutes(-1), " "), T0, out var errors);

        Assert.Null(exemption);
        Assert.Equal(["actions", "category", "expiresOn", "findingCodes", "id", "justification", "scope"], errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Validate_NothingCovered_IsRefused()
    {
        ExemptionRules.Validate("w1", Request(Rg("rg1")), T0, out var errors);

        Assert.Contains("actions", errors.Keys);
    }

    [Fact]
    public void Validate_JustificationTooLong_IsRefused()
    {
        ExemptionRules.Validate("w1", Request(Rg("rg1"), ["GuestUpdate"], justification: new string('x', 1001)), T0, out var errors);

        Assert.Equal(["justification"], errors.Keys);
    }

    [Theory]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/s")]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1/../rg2")]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups")]
    [InlineData("subscriptions/11111111-1111-1111-1111-111111111111")]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg'1")]
    public void Normalize_RefusesWhatIsNotAScope(string scope) => Assert.Null(ExemptionScope.Normalize(scope, out _));

    [Theory]
    [InlineData("/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1/providers/microsoft.compute/virtualmachinescalesets/ss/virtualmachines/3", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/3")]
    [InlineData("/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/resourcegroups/rg1/providers/Microsoft.Compute/cloudServices/cs", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg1/providers/Microsoft.Compute/cloudServices/cs")]
    public void Normalize_SpellsFixedSegmentsAsArmDoes(string scope, string expected) => Assert.Equal(expected, ExemptionScope.Normalize(scope, out _));
}
