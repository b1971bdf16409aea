namespace Compliance.Emulator.Tests;

public sealed class ResourceEventTests
{
    private const string Group = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute";

    [Theory]
    [InlineData($"{Group}/virtualMachines/vm-1", "Microsoft.Compute/virtualMachines/write")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss/virtualMachines/7", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData($"{Group}/cloudServices/legacy-api", "Microsoft.Compute/cloudServices/write")]
    public void Write_EachResourceKind_FillsWriteSuccessAndWriteOperation(string resourceId, string operationName)
    {
        var resourceEvent = ResourceEvent.Write(resourceId);

        Assert.Equal("Microsoft.Resources.ResourceWriteSuccess", resourceEvent.EventType);
        Assert.Equal(resourceId, resourceEvent.ResourceId);
        Assert.Equal(operationName, resourceEvent.OperationName);
        Assert.Null(resourceEvent.EventTime);
    }

    [Theory]
    [InlineData($"{Group}/virtualMachines/vm-1", "start", "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData($"{Group}/virtualMachines/vm-1", "runcommand", "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData($"{Group}/virtualMachines/vm-1", "Deallocate", "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss/virtualMachines/0", "redeploy", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/redeploy/action")]
    [InlineData($"{Group}/cloudServices/legacy-api", "restart", "Microsoft.Compute/cloudServices/restart/action")]
    public void Action_EachResourceKind_FillsActionSuccessAndCanonicalActionOperation(string resourceId, string action, string operationName)
    {
        var resourceEvent = ResourceEvent.Action(resourceId, action);

        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", resourceEvent.EventType);
        Assert.Equal(operationName, resourceEvent.OperationName);
    }

    [Theory]
    [InlineData($"{Group}/virtualMachines/vm-1", "Microsoft.Compute/virtualMachines/delete")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss/virtualMachines/7", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete")]
    [InlineData($"{Group}/cloudServices/legacy-api", "Microsoft.Compute/cloudServices/delete")]
    public void Delete_EachResourceKind_FillsDeleteSuccessAndDeleteOperation(string resourceId, string operationName)
    {
        var resourceEvent = ResourceEvent.Delete(resourceId);

        Assert.Equal("Microsoft.Resources.ResourceDeleteSuccess", resourceEvent.EventType);
        Assert.Equal(operationName, resourceEvent.OperationName);
    }

    [Fact]
    public void Write_IdInOtherCasing_KeepsTheIdAndSpellsTheOperationCanonically()
    {
        var resourceId = $"/SUBSCRIPTIONS/{TestFleets.SubscriptionId}/resourcegroups/RG-APP/providers/microsoft.compute/VIRTUALMACHINES/VM-1";

        var resourceEvent = ResourceEvent.Write(resourceId);

        Assert.Equal(resourceId, resourceEvent.ResourceId);
        Assert.Equal("Microsoft.Compute/virtualMachines/write", resourceEvent.OperationName);
    }

    [Theory]
    [InlineData($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Storage/storageAccounts/data")]
    [InlineData($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss")]
    [InlineData($"{Group}/virtualMachines/vm-1/extensions/run")]
    [InlineData($"{Group}/virtualMachines/")]
    [InlineData("virtualMachines/vm-1")]
    public void Write_NotAMachineOrCloudService_ThrowsArgumentException(string resourceId)
    {
        var error = Assert.Throws<ArgumentException>(() => ResourceEvent.Write(resourceId));

        Assert.Equal("resourceId", error.ParamName);
    }

    [Theory]
    [InlineData("start/action")]
    [InlineData("run command")]
    [InlineData("")]
    public void Action_NotASingleWord_ThrowsArgumentException(string action)
    {
        var error = Assert.Throws<ArgumentException>(() => ResourceEvent.Action($"{Group}/virtualMachines/vm-1", action));

        Assert.Equal("action", error.ParamName);
    }

    [Fact]
    public void Id_TwoEvents_AreDifferentGuidsAndCopiesKeepTheirs()
    {
        var first = ResourceEvent.Write($"{Group}/virtualMachines/vm-1");
        var second = ResourceEvent.Write($"{Group}/virtualMachines/vm-1");
        var copy = first with { EventTime = DateTimeOffset.UnixEpoch };

        Assert.True(Guid.TryParseExact(first.Id, "D", out _));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(first.Id, copy.Id);
    }
}
