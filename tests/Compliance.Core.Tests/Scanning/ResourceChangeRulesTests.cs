using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

/// <summary>Which subscription events re-check or remove a resource, and that everything else (our own Run Commands first) is ignored.</summary>
public sealed class ResourceChangeRulesTests
{
    private const string Subscription = "11111111-1111-1111-1111-111111111111";
    private const string OtherSubscription = "22222222-2222-2222-2222-222222222222";
    private const string Rg = "/subscriptions/" + Subscription + "/resourceGroups/rg-test/providers";
    private const string Vm = Rg + "/Microsoft.Compute/virtualMachines/vm-01";
    private const string ScaleSetVm = Rg + "/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/3";
    private const string CloudService = Rg + "/Microsoft.Compute/cloudServices/cs-01";

    private const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";
    private const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    private static ResourceChangeDecision Decide(string eventType, string resourceId, string? operation, params string[] scope) =>
        ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, resourceId, operation, DateTimeOffset.UnixEpoch), scope).Decision;

    [Theory]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/restart/action")]
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/redeploy/action")]
    [InlineData(WriteSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/start/action")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/redeploy/action")]
    [InlineData(WriteSuccess, CloudService, "Microsoft.Compute/cloudServices/write")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/start/action")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/restart/action")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/redeploy/action")]
    public void Decide_WriteOrStartOfAJudgedResource_Rechecks(string eventType, string resourceId, string operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, resourceId, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Recheck, decision);
        Assert.Equal($"operation {operation}", reason);
    }

    [Theory]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/delete")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/delete")]
    public void Decide_DeleteOfAJudgedResource_Removes(string resourceId, string operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", DeleteSuccess, resourceId, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Remove, decision);
        Assert.Equal("the resource was deleted", reason);
    }

    [Theory]
    // Our own guest checks: never a loop.
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action")]
    [InlineData(WriteSuccess, Vm + "/runCommands/compliance-check", "Microsoft.Compute/virtualMachines/runCommands/write")]
    // Stops change nothing a check could see.
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/powerOff/action")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/deallocate/action")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/poweroff/action")]
    // A write reported as an action, or an action as a write: the operation decides, and it must match the event.
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/deallocate/action")]
    public void Decide_OtherOperationsOnAJudgedResource_Ignored(string eventType, string resourceId, string operation) =>
        Assert.Equal(ResourceChangeDecision.Ignore, Decide(eventType, resourceId, operation));

    [Theory]
    [InlineData("Microsoft.Resources.ResourceWriteFailure", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("Microsoft.Resources.ResourceActionFailure", "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData("Microsoft.Resources.ResourceDeleteFailure", "Microsoft.Compute/virtualMachines/delete")]
    [InlineData("Microsoft.Resources.ResourceWriteCancel", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("Microsoft.Resources.ResourceDeleteCancel", "Microsoft.Compute/virtualMachines/delete")]
    [InlineData("Microsoft.Storage.BlobCreated", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("", "Microsoft.Compute/virtualMachines/write")]
    public void Decide_FailedOrOtherEvents_Ignored(string eventType, string operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, Vm, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal($"event type {eventType}", reason);
    }

    [Theory]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/st01", "Microsoft.Storage/storageAccounts/write")]
    [InlineData(Vm + "/extensions/x", "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(Vm + "/extensions/x", "Microsoft.Compute/virtualMachines/write")]
    [InlineData(Rg + "/Microsoft.Compute/virtualMachineScaleSets/ss", "Microsoft.Compute/virtualMachineScaleSets/write")]
    [InlineData(Rg + "/Microsoft.Compute/virtualMachineScaleSets/ss/extensions/x", "Microsoft.Compute/virtualMachineScaleSets/extensions/write")]
    [InlineData(ScaleSetVm + "/networkInterfaces/nic", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(CloudService + "/roles/web", "Microsoft.Compute/cloudServices/write")]
    [InlineData(Rg + "/Microsoft.Compute/disks/vm-01_OsDisk", "Microsoft.Compute/disks/write")]
    [InlineData(Rg + "/Microsoft.ClassicCompute/virtualMachines/vm-01", "Microsoft.ClassicCompute/virtualMachines/write")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-test", "Microsoft.Resources/subscriptions/resourceGroups/write")]
    [InlineData("/subscriptions/" + Subscription + "/resourcegroups/rg-test/foo/Microsoft.Compute/virtualMachines/vm-01", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("/subscriptions/" + Subscription + "/providers/Microsoft.Compute/virtualMachines/vm-01/x/y", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("/tenants/t/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/vm-01", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("vm-01", "Microsoft.Compute/virtualMachines/write")]
    public void Decide_ResourcesThatAreNotJudged_Ignored(string resourceId, string operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", WriteSuccess, resourceId, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal("not a virtual machine, scale-set instance or Cloud Service", reason);
    }

    [Fact]
    public void Decide_DeleteOfAScaleSet_IgnoredEvenThoughItsInstancesGo() =>
        Assert.Equal(ResourceChangeDecision.Ignore, Decide(DeleteSuccess, Rg + "/Microsoft.Compute/virtualMachineScaleSets/ss", "Microsoft.Compute/virtualMachineScaleSets/delete"));

    [Theory]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/cloudServices/write")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(WriteSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(WriteSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/write")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(WriteSuccess, Vm, "Microsoft.ClassicCompute/virtualMachines/write")]
    [InlineData(WriteSuccess, Vm, "virtualMachines/write")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/write/extra")]
    public void Decide_OperationOfAnotherTypeThanTheId_Ignored(string eventType, string resourceId, string operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, resourceId, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal($"operation {operation}", reason);
    }

    [Theory]
    [InlineData(Vm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/delete")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/extensions/delete")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(Vm, "")]
    [InlineData(Vm, null)]
    public void Decide_DeleteWithoutTheResourcesDeleteOperation_Ignored(string resourceId, string? operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", DeleteSuccess, resourceId, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal("a delete of something else than the resource", reason);
    }

    [Theory]
    [InlineData(WriteSuccess, null)]
    [InlineData(WriteSuccess, "")]
    [InlineData(ActionSuccess, null)]
    public void Decide_MissingOperationName_Ignored(string eventType, string? operation)
    {
        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, Vm, operation, DateTimeOffset.UnixEpoch), []);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal("operation (none)", reason);
    }

    [Fact]
    public void Decide_SubscriptionOutsideANonEmptyScope_Ignored()
    {
        var outside = Vm.Replace(Subscription, OtherSubscription, StringComparison.Ordinal);

        var (decision, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", WriteSuccess, outside, "Microsoft.Compute/virtualMachines/write", DateTimeOffset.UnixEpoch), [Subscription]);

        Assert.Equal(ResourceChangeDecision.Ignore, decision);
        Assert.Equal("a subscription outside the scan's scope", reason);
        Assert.Equal(ResourceChangeDecision.Ignore, Decide(DeleteSuccess, outside, "Microsoft.Compute/virtualMachines/delete", Subscription));
    }

    [Fact]
    public void Decide_SubscriptionInsideTheScope_AnyCasing_Counts()
    {
        Assert.Equal(ResourceChangeDecision.Recheck, Decide(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/write", OtherSubscription, Subscription.ToUpperInvariant()));
        Assert.Equal(ResourceChangeDecision.Remove, Decide(DeleteSuccess, Vm.Replace(Subscription, Subscription.ToUpperInvariant(), StringComparison.Ordinal), "Microsoft.Compute/virtualMachines/delete", Subscription));
    }

    [Fact]
    public void Decide_EmptyScope_AcceptsEverySubscription() =>
        Assert.Equal(ResourceChangeDecision.Recheck, Decide(WriteSuccess, Vm.Replace(Subscription, OtherSubscription, StringComparison.Ordinal), "Microsoft.Compute/virtualMachines/write"));

    [Fact]
    public void Decide_NotJudgedResourceOutsideTheScope_ReportsTheTypeFirst()
    {
        var storage = "/subscriptions/" + OtherSubscription + "/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st01";

        var (_, reason) = ResourceChangeRules.Decide(new ResourceChange("evt-1", WriteSuccess, storage, "Microsoft.Storage/storageAccounts/write", DateTimeOffset.UnixEpoch), [Subscription]);

        Assert.Equal("not a virtual machine, scale-set instance or Cloud Service", reason);
    }

    [Theory]
    [InlineData("MICROSOFT.RESOURCES.RESOURCEWRITESUCCESS", "/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/RESOURCEGROUPS/RG-TEST/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-01", "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", ResourceChangeDecision.Recheck)]
    [InlineData("microsoft.resources.resourceactionsuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-test/providers/microsoft.compute/virtualmachinescalesets/ss/virtualmachines/3", "microsoft.compute/virtualmachinescalesets/virtualmachines/restart/action", ResourceChangeDecision.Recheck)]
    [InlineData("Microsoft.Resources.ResourceActionSuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-test/providers/Microsoft.Compute/CloudServices/cs-01", "Microsoft.Compute/cloudservices/Start/Action", ResourceChangeDecision.Recheck)]
    [InlineData("microsoft.resources.resourcedeletesuccess", "/Subscriptions/11111111-1111-1111-1111-111111111111/ResourceGroups/rg-test/Providers/Microsoft.Compute/VirtualMachines/vm-01", "MICROSOFT.COMPUTE/virtualMachines/DELETE", ResourceChangeDecision.Remove)]
    [InlineData("Microsoft.Resources.ResourceActionSuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/vm-01", "MICROSOFT.COMPUTE/VIRTUALMACHINES/RUNCOMMAND/ACTION", ResourceChangeDecision.Ignore)]
    public void Decide_IdsTypesAndOperations_CompareCaseInsensitively(string eventType, string resourceId, string operation, ResourceChangeDecision expected) =>
        Assert.Equal(expected, Decide(eventType, resourceId, operation));

    [Fact]
    public void Decide_TrailingSlashOnTheId_StillTheResource() =>
        Assert.Equal(ResourceChangeDecision.Recheck, Decide(WriteSuccess, Vm + "/", "Microsoft.Compute/virtualMachines/write"));

    [Fact]
    public void Decide_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ResourceChangeRules.Decide(null!, []));
        Assert.Throws<ArgumentNullException>(() => ResourceChangeRules.Decide(new ResourceChange("e", WriteSuccess, Vm, null, DateTimeOffset.UnixEpoch), null!));
    }

    [Fact]
    public void HandledOperations_EachWithItsEventType_IsNeverIgnored()
    {
        // The event subscription's filter is built from these lists: each must be an operation Decide acts on.
        Assert.Equal(15, ResourceChangeRules.HandledOperations.Count);
        Assert.Equal([WriteSuccess, ActionSuccess, DeleteSuccess], ResourceChangeRules.HandledEventTypes);
        foreach (var operation in ResourceChangeRules.HandledOperations)
        {
            var id = operation.Contains("/virtualMachineScaleSets/", StringComparison.Ordinal) ? ScaleSetVm
                : operation.Contains("/cloudServices/", StringComparison.Ordinal) ? CloudService
                : Vm;
            var eventType = operation.EndsWith("/delete", StringComparison.Ordinal) ? DeleteSuccess
                : operation.EndsWith("/write", StringComparison.Ordinal) ? WriteSuccess
                : ActionSuccess;

            Assert.NotEqual(ResourceChangeDecision.Ignore, Decide(eventType, id, operation));
        }
    }
}
