using Compliance.Core.Inventory;
using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

public sealed class ScanOrderTests
{
    private static Machine Vm(string subscription, string region, string name) => new(
        new ResourceId($"/subscriptions/{subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{name}"),
        ResourceKind.VirtualMachine, name, region, OsType.Linux, PowerState.Running, new Dictionary<string, string>(), null);

    [Fact]
    public void Interleave_TwoSubscriptionsAndRegions_TakesEachInTurnKeepingTheirOrder()
    {
        const string A = "11111111-1111-1111-1111-111111111111";
        const string B = "22222222-2222-2222-2222-222222222222";
        var listed = new[]
        {
            Vm(A, "westeurope", "a-w-1"), Vm(A, "westeurope", "a-w-2"), Vm(A, "westeurope", "a-w-3"),
            Vm(A, "northeurope", "a-n-1"),
            Vm(B, "westeurope", "b-w-1"), Vm(B, "WestEurope", "b-w-2"),
        };

        var order = ScanOrder.Interleave(listed).Select(r => r.Name);

        Assert.Equal(["a-w-1", "a-n-1", "b-w-1", "a-w-2", "b-w-2", "a-w-3"], order);
    }

    [Fact]
    public void Interleave_Empty_Empty() => Assert.Empty(ScanOrder.Interleave([]));
}
