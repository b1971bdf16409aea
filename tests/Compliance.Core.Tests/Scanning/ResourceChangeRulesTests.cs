using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

/// <summary>
/// The table of operations: which subscription events re-check a machine, a Cloud Service or every instance of a scale
/// set, which remove a resource, and that everything else (our own Run Commands first) is ignored, with why.
/// </summary>
public sealed class ResourceChangeRulesTests
{
    private const string Subscription = "11111111-1111-1111-1111-111111111111";
    private const string OtherSubscription = "22222222-2222-2222-2222-222222222222";
    private const string Rg = "/subscriptions/" + Subscription + "/resourceGroups/rg-test/providers";
    private const string Vm = Rg + "/Microsoft.Compute/virtualMachines/vm-01";
    private const string ScaleSet = Rg + "/Microsoft.Compute/virtualMachineScaleSets/ss";
    private const string ScaleSetVm = ScaleSet + "/virtualMachines/3";
    private const string CloudService = Rg + "/Microsoft.Compute/cloudServices/cs-01";

    private const string OwnId = "0b1e6c1e-6f3a-4d52-9a55-5f7c2f0d8e11";
    private const string OperatorId = "7d3c9f4e-2a61-4b8e-8f0a-3c5e1d2b4a77";

    private const string WriteSuccess = "Microsoft.Resources.ResourceWriteSuccess";
    private const string ActionSuccess = "Microsoft.Resources.ResourceActionSuccess";
    private const string DeleteSuccess = "Microsoft.Resources.ResourceDeleteSuccess";

    private static ResourceChangeDecisionResult Decide(string eventType, string resourceId, string? operation, string? caller = null, string? own = OwnId, params string[] scope) =>
        ResourceChangeRules.Decide(new ResourceChange("evt-1", eventType, resourceId, operation, DateTimeOffset.UnixEpoch) { Caller = caller }, scope, own);

    private static string EventTypeOf(string operation) =>
        operation.EndsWith("/delete", StringComparison.Ordinal) ? DeleteSuccess
        : operation.EndsWith("/write", StringComparison.Ordinal) ? WriteSuccess
        : ActionSuccess;

    [Theory]
    // Virtual machines.
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/restart/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/redeploy/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/reimage/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/installPatches/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/performMaintenance/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/reapply/action")]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/rollbackOSDisk/action")]
    [InlineData(Vm + "/extensions/MDE.Windows", "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(Vm + "/runCommands/patch-now", "Microsoft.Compute/virtualMachines/runCommands/write")]
    // Scale-set instances.
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/start/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/redeploy/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimage/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimageAll/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/performMaintenance/action")]
    [InlineData(ScaleSetVm + "/extensions/ext", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions/write")]
    [InlineData(ScaleSetVm + "/runCommands/rc", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommands/write")]
    // Cloud Services.
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/write")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/start/action")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/restart/action")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/reimage/action")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/rebuild/action")]
    [InlineData(CloudService + "/roleInstances/Web_IN_0", "Microsoft.Compute/cloudServices/roleInstances/reimage/action")]
    [InlineData(CloudService + "/roleInstances/Web_IN_1", "Microsoft.Compute/cloudServices/roleInstances/rebuild/action")]
    public void Decide_GuestAlteringOperation_RechecksTheMachineOrService(string subject, string operation)
    {
        var result = Decide(EventTypeOf(operation), subject, operation);

        Assert.Equal(ResourceChangeDecision.Recheck, result.Decision);
        Assert.Equal($"operation {operation}", result.Reason);
        var expected = subject.StartsWith(ScaleSetVm, StringComparison.Ordinal) ? ScaleSetVm : subject.StartsWith(Vm, StringComparison.Ordinal) ? Vm : CloudService;
        Assert.Equal(expected, result.Target);
    }

    [Theory]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/write")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/manualUpgrade/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/reimage/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/reimageAll/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/restart/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/start/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/redeploy/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/performMaintenance/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/osRollingUpgrade/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/delete/action")]
    [InlineData(ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/delete")]
    [InlineData(ScaleSet + "/extensions/ext", "Microsoft.Compute/virtualMachineScaleSets/extensions/write")]
    public void Decide_ScaleSetOperation_RechecksEveryInstanceOfTheSet(string subject, string operation)
    {
        var result = Decide(EventTypeOf(operation), subject, operation);

        Assert.Equal(ResourceChangeDecision.RecheckScaleSet, result.Decision);
        Assert.Equal(ScaleSet, result.Target);
    }

    [Theory]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/delete")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete")]
    [InlineData(CloudService, "Microsoft.Compute/cloudServices/delete")]
    public void Decide_DeleteOfAJudgedResource_Removes(string resourceId, string operation)
    {
        var result = Decide(DeleteSuccess, resourceId, operation);

        Assert.Equal(ResourceChangeDecision.Remove, result.Decision);
        Assert.Equal(resourceId, result.Target);
        Assert.Equal("the resource was deleted", result.Reason);
    }

    [Theory]
    [InlineData(Vm, "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData(ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action")]
    public void Decide_RunCommandBySomeoneElse_Rechecks(string resourceId, string operation)
    {
        var result = Decide(ActionSuccess, resourceId, operation, caller: OperatorId);

        Assert.Equal(ResourceChangeDecision.Recheck, result.Decision);
        Assert.Equal(resourceId, result.Target);
        Assert.Equal($"operation {operation} by another caller", result.Reason);
    }

    [Theory]
    // Our own check, in any casing of our id: never a loop.
    [InlineData(OwnId, OwnId)]
    [InlineData("0B1E6C1E-6F3A-4D52-9A55-5F7C2F0D8E11", OwnId)]
    // A call the event does not say who made, or while our own id is not known: it could be ours.
    [InlineData(null, OwnId)]
    [InlineData(OperatorId, null)]
    [InlineData(null, null)]
    public void Decide_RunCommandThatCouldBeOurOwn_IgnoredAsOwnCall(string? caller, string? own)
    {
        var result = Decide(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/runCommand/action", caller, own);

        Assert.Equal(ResourceChangeDecision.Ignore, result.Decision);
        Assert.Equal(ResourceChangeIgnoreKind.OwnCall, result.IgnoreKind);
        Assert.Null(result.Target);
    }

    [Theory]
    // Stops and power-offs change nothing a check could see.
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/deallocate/action")]
    [InlineData(ActionSuccess, Vm, "Microsoft.Compute/virtualMachines/powerOff/action")]
    [InlineData(ActionSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/deallocate/action")]
    [InlineData(ActionSuccess, ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/deallocate/action")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/poweroff/action")]
    // Operations that do not exist, or are spelled otherwise.
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/cloudServices/redeploy/action")]
    [InlineData(WriteSuccess, Vm, "Microsoft.ClassicCompute/virtualMachines/write")]
    [InlineData(WriteSuccess, Vm, "virtualMachines/write")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/write/extra")]
    [InlineData(WriteSuccess, Vm, "")]
    [InlineData(WriteSuccess, Vm, null)]
    // An operation of another type than the subject.
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/cloudServices/write")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(WriteSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(WriteSuccess, ScaleSetVm, "Microsoft.Compute/virtualMachineScaleSets/write")]
    [InlineData(WriteSuccess, ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(ActionSuccess, CloudService, "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(WriteSuccess, Vm + "/extensions/x", "Microsoft.Compute/virtualMachines/write")]
    [InlineData(WriteSuccess, Vm + "/runCommands/x", "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(WriteSuccess, ScaleSetVm + "/networkInterfaces/nic", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    // A delete reported as a write or an action, or a write or action reported as a delete.
    [InlineData(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/delete")]
    [InlineData(DeleteSuccess, Vm, "Microsoft.Compute/virtualMachines/write")]
    [InlineData(DeleteSuccess, ScaleSet, "Microsoft.Compute/virtualMachineScaleSets/delete/action")]
    [InlineData(DeleteSuccess, Vm + "/extensions/x", "Microsoft.Compute/virtualMachines/extensions/delete")]
    public void Decide_OtherOperations_IgnoredAsOperation(string eventType, string resourceId, string? operation)
    {
        var result = Decide(eventType, resourceId, operation, caller: OperatorId);

        Assert.Equal(ResourceChangeDecision.Ignore, result.Decision);
        Assert.Equal(ResourceChangeIgnoreKind.Operation, result.IgnoreKind);
        Assert.StartsWith($"operation {(string.IsNullOrEmpty(operation) ? "(none)" : operation)}", result.Reason, StringComparison.Ordinal);
    }

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
        var result = Decide(eventType, Vm, operation);

        Assert.Equal(ResourceChangeDecision.Ignore, result.Decision);
        Assert.Equal(ResourceChangeIgnoreKind.EventType, result.IgnoreKind);
        Assert.Equal($"event type {eventType}", result.Reason);
    }

    [Theory]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-test/providers/Microsoft.Storage/storageAccounts/st01", "Microsoft.Storage/storageAccounts/write")]
    [InlineData(ScaleSetVm + "/extensions/x/y/z", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/extensions/write")]
    [InlineData(Vm + "/extensions/x/y/z", "Microsoft.Compute/virtualMachines/write")]
    [InlineData(Rg + "/Microsoft.Compute/disks/vm-01_OsDisk", "Microsoft.Compute/disks/write")]
    [InlineData(Rg + "/Microsoft.ClassicCompute/virtualMachines/vm-01", "Microsoft.ClassicCompute/virtualMachines/write")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-test", "Microsoft.Resources/subscriptions/resourceGroups/write")]
    [InlineData("/subscriptions/" + Subscription + "/resourcegroups/rg-test/foo/Microsoft.Compute/virtualMachines/vm-01", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("/subscriptions/" + Subscription + "/providers/Microsoft.Compute/virtualMachines/vm-01/x/y", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("/tenants/t/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/vm-01", "Microsoft.Compute/virtualMachines/write")]
    [InlineData(Rg + "/Microsoft.Compute/virtualMachines", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("", "Microsoft.Compute/virtualMachines/write")]
    [InlineData("vm-01", "Microsoft.Compute/virtualMachines/write")]
    public void Decide_ResourcesThatAreNotJudged_Ignored(string resourceId, string operation)
    {
        var result = Decide(WriteSuccess, resourceId, operation);

        Assert.Equal(ResourceChangeDecision.Ignore, result.Decision);
        Assert.Equal(ResourceChangeIgnoreKind.NotJudged, result.IgnoreKind);
    }

    [Fact]
    public void Decide_SubscriptionOutsideANonEmptyScope_Ignored()
    {
        var outside = Vm.Replace(Subscription, OtherSubscription, StringComparison.Ordinal);

        var result = Decide(WriteSuccess, outside, "Microsoft.Compute/virtualMachines/write", scope: Subscription);

        Assert.Equal(ResourceChangeDecision.Ignore, result.Decision);
        Assert.Equal(ResourceChangeIgnoreKind.OutOfScope, result.IgnoreKind);
        Assert.Equal(ResourceChangeDecision.Ignore, Decide(DeleteSuccess, outside, "Microsoft.Compute/virtualMachines/delete", scope: Subscription).Decision);
        Assert.Equal(ResourceChangeDecision.Ignore, Decide(ActionSuccess, ScaleSet.Replace(Subscription, OtherSubscription, StringComparison.Ordinal), "Microsoft.Compute/virtualMachineScaleSets/reimage/action", scope: Subscription).Decision);
    }

    [Fact]
    public void Decide_SubscriptionInsideTheScope_AnyCasing_Counts()
    {
        Assert.Equal(ResourceChangeDecision.Recheck, Decide(WriteSuccess, Vm, "Microsoft.Compute/virtualMachines/write", scope: [OtherSubscription, Subscription.ToUpperInvariant()]).Decision);
        Assert.Equal(ResourceChangeDecision.Remove, Decide(DeleteSuccess, Vm.Replace(Subscription, Subscription.ToUpperInvariant(), StringComparison.Ordinal), "Microsoft.Compute/virtualMachines/delete", scope: Subscription).Decision);
    }

    [Fact]
    public void Decide_EmptyScope_AcceptsEverySubscription() =>
        Assert.Equal(ResourceChangeDecision.Recheck, Decide(WriteSuccess, Vm.Replace(Subscription, OtherSubscription, StringComparison.Ordinal), "Microsoft.Compute/virtualMachines/write").Decision);

    [Theory]
    [InlineData("MICROSOFT.RESOURCES.RESOURCEWRITESUCCESS", "/SUBSCRIPTIONS/11111111-1111-1111-1111-111111111111/RESOURCEGROUPS/RG-TEST/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM-01", "MICROSOFT.COMPUTE/VIRTUALMACHINES/WRITE", ResourceChangeDecision.Recheck)]
    [InlineData("microsoft.resources.resourceactionsuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-test/providers/microsoft.compute/virtualmachinescalesets/ss/virtualmachines/3", "microsoft.compute/virtualmachinescalesets/virtualmachines/restart/action", ResourceChangeDecision.Recheck)]
    [InlineData("microsoft.resources.resourceactionsuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourcegroups/rg-test/providers/microsoft.compute/virtualmachinescalesets/ss", "microsoft.compute/virtualmachinescalesets/REIMAGEALL/action", ResourceChangeDecision.RecheckScaleSet)]
    [InlineData("Microsoft.Resources.ResourceActionSuccess", "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-test/providers/Microsoft.Compute/CloudServices/cs-01", "Microsoft.Compute/cloudservices/Start/Action", ResourceChangeDecision.Recheck)]
    [InlineData("microsoft.resources.resourcedeletesuccess", "/Subscriptions/11111111-1111-1111-1111-111111111111/ResourceGroups/rg-test/Providers/Microsoft.Compute/VirtualMachines/vm-01", "MICROSOFT.COMPUTE/virtualMachines/DELETE", ResourceChangeDecision.Remove)]
    public void Decide_IdsTypesAndOperations_CompareCaseInsensitively(string eventType, string resourceId, string operation, ResourceChangeDecision expected) =>
        Assert.Equal(expected, Decide(eventType, resourceId, operation).Decision);

    [Fact]
    public void Decide_TrailingSlashOnTheId_StillTheResource()
    {
        var result = Decide(WriteSuccess, Vm + "/", "Microsoft.Compute/virtualMachines/write");

        Assert.Equal(ResourceChangeDecision.Recheck, result.Decision);
        Assert.Equal(Vm, result.Target);
    }

    [Fact]
    public void Decide_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ResourceChangeRules.Decide(null!, []));
        Assert.Throws<ArgumentNullException>(() => ResourceChangeRules.Decide(new ResourceChange("e", WriteSuccess, Vm, null, DateTimeOffset.UnixEpoch), null!));
    }

    [Fact]
    public void Operations_EachWithItsEventTypeAndSubject_IsNeverIgnored()
    {
        // The event subscription's filter is checked against this table: each row must be one Decide acts on.
        Assert.Equal([WriteSuccess, ActionSuccess, DeleteSuccess], ResourceChangeRules.HandledEventTypes);
        Assert.Equal(ResourceChangeRules.Operations.Select(o => o.Name), ResourceChangeRules.HandledOperations);
        Assert.Equal(ResourceChangeRules.HandledOperations.Count, ResourceChangeRules.HandledOperations.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.DoesNotContain("Microsoft.Compute/cloudServices/redeploy/action", ResourceChangeRules.HandledOperations);
        foreach (var operation in ResourceChangeRules.Operations)
        {
            var subject = operation.SubjectType switch
            {
                "virtualMachines" => Vm,
                "virtualMachines/extensions" => Vm + "/extensions/e",
                "virtualMachines/runCommands" => Vm + "/runCommands/r",
                "virtualMachineScaleSets" => ScaleSet,
                "virtualMachineScaleSets/extensions" => ScaleSet + "/extensions/e",
                "virtualMachineScaleSets/virtualMachines" => ScaleSetVm,
                "virtualMachineScaleSets/virtualMachines/extensions" => ScaleSetVm + "/extensions/e",
                "virtualMachineScaleSets/virtualMachines/runCommands" => ScaleSetVm + "/runCommands/r",
                "cloudServices" => CloudService,
                "cloudServices/roleInstances" => CloudService + "/roleInstances/Web_IN_0",
                var other => throw new InvalidOperationException($"No subject for {other} ({operation.Name})."),
            };

            Assert.NotEqual(ResourceChangeDecision.Ignore, Decide(EventTypeOf(operation.Name), subject, operation.Name, caller: OperatorId).Decision);
        }
    }

    [Fact]
    public void Operations_TheOperatorsPage_ListsExactlyTheTable()
    {
        // docs/events.md is what an operator reads: its table must be this one, row for row.
        var rows = File.ReadAllLines(Compliance.Testing.RepositoryFiles.PathOf("docs", "events.md"))
            .Where(line => line.StartsWith("| `Microsoft.Compute/", StringComparison.Ordinal))
            .Select(line => line.Split('|', StringSplitOptions.TrimEntries))
            .Select(cells => (Name: cells[1].Trim('`'), Effect: cells[2].Trim('`')))
            .ToList();

        Assert.Equal(ResourceChangeRules.Operations.Select(o => (o.Name, o.Effect.ToString())), rows);
    }

    [Theory]
    [InlineData("Microsoft.Compute/virtualMachines/write", "virtualMachines", false)]
    [InlineData("Microsoft.Compute/virtualMachines/delete", "virtualMachines", true)]
    [InlineData("Microsoft.Compute/virtualMachines/installPatches/action", "virtualMachines", false)]
    [InlineData("Microsoft.Compute/virtualMachines/extensions/write", "virtualMachines/extensions", false)]
    [InlineData("Microsoft.Compute/virtualMachineScaleSets/delete/action", "virtualMachineScaleSets", false)]
    [InlineData("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimageAll/action", "virtualMachineScaleSets/virtualMachines", false)]
    public void Operation_SubjectTypeAndDelete_FromItsName(string name, string subjectType, bool isDelete)
    {
        var operation = new ResourceOperation(name, ResourceOperationEffect.Recheck);

        Assert.Equal(subjectType, operation.SubjectType);
        Assert.Equal(isDelete, operation.IsDelete);
    }
}
