namespace Compliance.Emulator.Tests;

public sealed class ResourceEventTests
{
    private const string Group = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute";

    [Theory]
    [InlineData($"{Group}/virtualMachines/vm-1", "Microsoft.Compute/virtualMachines/write")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss/virtualMachines/7", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData($"{Group}/cloudServices/legacy-api", "Microsoft.Compute/cloudServices/write")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss", "Microsoft.Compute/virtualMachineScaleSets/write")]
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

    /// <summary>
    /// Every action of the table, given in lowercase, comes out as Microsoft's operation list spells it for the
    /// resource's type (tests/Compliance.Testing/SampleEvents/OPERATIONS.md).
    /// </summary>
    [Theory]
    [InlineData("virtualMachines/vm-1", "reimage", "Microsoft.Compute/virtualMachines/reimage/action")]
    [InlineData("virtualMachines/vm-1", "installpatches", "Microsoft.Compute/virtualMachines/installPatches/action")]
    [InlineData("virtualMachines/vm-1", "performmaintenance", "Microsoft.Compute/virtualMachines/performMaintenance/action")]
    [InlineData("virtualMachines/vm-1", "reapply", "Microsoft.Compute/virtualMachines/reapply/action")]
    [InlineData("virtualMachines/vm-1", "poweroff", "Microsoft.Compute/virtualMachines/powerOff/action")]
    [InlineData("virtualMachines/vm-1", "runcommand", "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/7", "reimage", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimage/action")]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/7", "reimageall", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimageAll/action")]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/7", "performmaintenance", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/performMaintenance/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "manualupgrade", "Microsoft.Compute/virtualMachineScaleSets/manualUpgrade/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "reimage", "Microsoft.Compute/virtualMachineScaleSets/reimage/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "reimageall", "Microsoft.Compute/virtualMachineScaleSets/reimageAll/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "restart", "Microsoft.Compute/virtualMachineScaleSets/restart/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "start", "Microsoft.Compute/virtualMachineScaleSets/start/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "redeploy", "Microsoft.Compute/virtualMachineScaleSets/redeploy/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "performmaintenance", "Microsoft.Compute/virtualMachineScaleSets/performMaintenance/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "osrollingupgrade", "Microsoft.Compute/virtualMachineScaleSets/osRollingUpgrade/action")]
    [InlineData("virtualMachineScaleSets/web-vmss", "delete", "Microsoft.Compute/virtualMachineScaleSets/delete/action")]
    [InlineData("cloudServices/legacy-api", "poweroff", "Microsoft.Compute/cloudServices/poweroff/action")]
    [InlineData("cloudServices/legacy-api", "POWEROFF", "Microsoft.Compute/cloudServices/poweroff/action")]
    [InlineData("cloudServices/legacy-api", "rebuild", "Microsoft.Compute/cloudServices/rebuild/action")]
    [InlineData("cloudServices/legacy-api", "reimage", "Microsoft.Compute/cloudServices/reimage/action")]
    [InlineData("cloudServices/legacy-api", "delete", "Microsoft.Compute/cloudServices/delete/action")]
    public void Action_EveryOperationOfTheTable_SpellsItAsMicrosoftsList(string resource, string action, string operationName)
    {
        var resourceEvent = ResourceEvent.Action($"{Group}/{resource}", action);

        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", resourceEvent.EventType);
        Assert.Equal(operationName, resourceEvent.OperationName);
    }

    [Fact]
    public void Action_OperationMicrosoftDoesNotList_KeepsTheSpellingGiven()
    {
        // Cloud Services have no redeploy: tests can still send one, to see it ignored.
        var resourceEvent = ResourceEvent.Action($"{Group}/cloudServices/legacy-api", "reDeploy");

        Assert.Equal("Microsoft.Compute/cloudServices/reDeploy/action", resourceEvent.OperationName);
    }

    [Theory]
    [InlineData("virtualMachines/vm-1", "extensions", "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData("virtualMachines/vm-1", "runcommands", "Microsoft.Compute/virtualMachines/runCommands/write")]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/7", "EXTENSIONS", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions/write")]
    [InlineData("virtualMachineScaleSets/web-vmss", "extensions", "Microsoft.Compute/virtualMachineScaleSets/extensions/write")]
    public void WriteChild_ExtensionOrRunCommand_NamesTheChildAndItsWriteOperation(string parent, string child, string operationName)
    {
        var resourceEvent = ResourceEvent.WriteChild($"{Group}/{parent}", child, "MDE.Windows");

        Assert.Equal("Microsoft.Resources.ResourceWriteSuccess", resourceEvent.EventType);
        Assert.Equal(operationName, resourceEvent.OperationName);
        var spelled = operationName.Split('/')[^2];
        Assert.Equal($"{Group}/{parent}/{spelled}/MDE.Windows", resourceEvent.ResourceId);
    }

    [Theory]
    [InlineData("virtualMachineScaleSets/web-vmss", "runCommands", "MDE.Windows", "child")]
    [InlineData("cloudServices/legacy-api", "extensions", "MDE.Windows", "child")]
    [InlineData("virtualMachines/vm-1", "disks", "MDE.Windows", "child")]
    [InlineData("virtualMachines/vm-1", "extensions", "a/b", "name")]
    [InlineData("virtualMachines/vm-1", "extensions", "", "name")]
    [InlineData("availabilitySets/as-1", "extensions", "MDE.Windows", "parentId")]
    public void WriteChild_NoSuchChild_ThrowsArgumentException(string parent, string child, string name, string paramName)
    {
        var error = Assert.Throws<ArgumentException>(() => ResourceEvent.WriteChild($"{Group}/{parent}", child, name));

        Assert.Equal(paramName, error.ParamName);
    }

    [Fact]
    public void Caller_NotSet_IsTheOperatorNotAServicePrincipal()
    {
        var resourceEvent = ResourceEvent.Action($"{Group}/virtualMachines/vm-1", "runCommand");

        Assert.Equal(EventCaller.Operator, resourceEvent.Caller);
        Assert.Equal(EventCaller.User, resourceEvent.Caller.PrincipalType);
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
    [InlineData($"{Group}/virtualMachines/vm-1/extensions/run")]
    [InlineData($"{Group}/virtualMachineScaleSets/web-vmss/extensions/health")]
    [InlineData($"{Group}/availabilitySets/as-1")]
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
