using Compliance.Core.Inventory;

namespace Compliance.Core.Tests.Inventory;

public sealed class ResourceIdTests
{
    private const string Id = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-Web/providers/Microsoft.Compute/virtualMachines/Web-01";

    [Fact]
    public void Equality_IgnoresCase_AsArmDoes()
    {
        var a = new ResourceId(Id);
        var b = new ResourceId(Id.ToUpperInvariant());

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(0, a.CompareTo(b));
        Assert.Equal(Id, a.Value);
    }

    [Fact]
    public void Parts_AreRead()
    {
        var id = new ResourceId(Id + "/");

        Assert.Equal("11111111-1111-1111-1111-111111111111", id.SubscriptionId);
        Assert.Equal("rg-Web", id.ResourceGroup);
        Assert.Equal(Id, id.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("/resourceGroups/rg")]
    [InlineData("/subscriptions/")]
    public void Constructor_NotAnArmId_Throws(string value) =>
        Assert.ThrowsAny<ArgumentException>(() => new ResourceId(value));
}
