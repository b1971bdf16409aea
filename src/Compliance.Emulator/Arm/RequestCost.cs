using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The tokens one request takes: one from its ARM bucket, and one from each Microsoft.Compute bucket of the policy
/// that covers it (PLATFORM.md 3.1 and 3.2; the mapping is documented on <see cref="RateLimitOptions"/>).
/// </summary>
internal sealed record RequestCost(ArmOperation Operation, string? SubscriptionId, BucketDemand Arm, IReadOnlyList<BucketDemand> Compute)
{
    public const string ComputeNamespace = "Microsoft.Compute";

    // The bucket of lists that span a whole subscription, which have no single region.
    private const string SubscriptionWide = "";

    // Compute's policy names: those of VMs as the emulator has always reported them, those of scale sets as Azure's
    // answers spell them (HighCostGetVMScaleSet, GetVMScaleSet); "Compute throttling limits" names the policies but
    // not their header spellings.
    public const string UpdateVMPolicy = "UpdateVM";
    public const string LowCostGetPolicy = "LowCostGet";
    public const string HighCostGetPolicy = "HighCostGet";
    public const string GetOperationPolicy = "GetOperation";
    public const string UpdateScaleSetVMPolicy = "UpdateVMScaleSetVM";
    public const string GetScaleSetVMPolicy = "GetVMScaleSetVM";
    public const string ScaleSetLowCostGetPolicy = "GetVMScaleSet";
    public const string ScaleSetHighCostGetPolicy = "HighCostGetVMScaleSet";

    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The URL path.</param>
    /// <param name="fleet">The fleet, for the region and identity of the resource a request acts on.</param>
    /// <param name="limits">The buckets' sizes.</param>
    /// <param name="findOperation">Finds a polled operation, for the resource it acts on; null when none are known.</param>
    public static RequestCost Of(string method, string path, FleetSnapshot fleet, RateLimitOptions limits, Func<string, (string SubscriptionId, string ResourceId)?>? findOperation = null)
    {
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var subscriptionId = segments.Length >= 2 && Is(segments[0], "subscriptions") ? segments[1] : null;
        var operation = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? ArmOperation.Read
            : HttpMethods.IsDelete(method) ? ArmOperation.Delete
            : ArmOperation.Write;
        var (name, limit) = operation switch
        {
            ArmOperation.Read => ("Reads", limits.Reads),
            ArmOperation.Delete => ("Deletes", limits.Deletes),
            _ => ("Writes", limits.Writes),
        };
        var arm = subscriptionId is null
            ? new BucketDemand($"Tenant{name}", $"Tenant{name}", limit)
            : new BucketDemand($"Subscription{name}", $"Subscription{name}|{subscriptionId}", limit);
        var compute = subscriptionId is null ? [] : ComputeDemands(method, segments, subscriptionId, fleet, limits, findOperation);
        return new RequestCost(operation, subscriptionId, arm, compute);
    }

    /// <summary>The header names of the ARM buckets, e.g. <c>x-ms-ratelimit-remaining-subscription-reads</c>.</summary>
    public string ArmHeader => $"x-ms-ratelimit-remaining-{(SubscriptionId is null ? "tenant" : "subscription")}-{Operation switch
    {
        ArmOperation.Read => "reads",
        ArmOperation.Delete => "deletes",
        _ => "writes",
    }}";

    /// <summary>How ARM's throttling message names the operation: <c>read</c>, <c>write</c> or <c>delete</c>.</summary>
    public string OperationWord => Operation switch
    {
        ArmOperation.Read => "read",
        ArmOperation.Delete => "delete",
        _ => "write",
    };

    private static List<BucketDemand> ComputeDemands(string method, string[] segments, string subscriptionId, FleetSnapshot fleet, RateLimitOptions limits, Func<string, (string SubscriptionId, string ResourceId)?>? findOperation)
    {
        var demands = new List<BucketDemand>(2);
        if (Classify(method, segments, subscriptionId, fleet, limits, findOperation) is not { } target)
        {
            return demands;
        }

        var (policyName, policy, region, resourceId) = target;
        demands.Add(new BucketDemand($"{policyName}SubscriptionMaximum", $"{policyName}SubscriptionMaximum|{subscriptionId}|{region}", policy.Subscription));
        if (policy.Resource is { } perResource && resourceId is not null)
        {
            demands.Add(new BucketDemand($"{policyName}Resource", $"{policyName}Resource|{resourceId}", perResource));
        }

        return demands;
    }

    /// <summary>The Compute policy of a request, the region it is counted in and the resource; null for ARM-only requests.</summary>
    private static (string Policy, ComputePolicyLimit Limit, string Region, string? ResourceId)? Classify(
        string method, string[] segments, string subscriptionId, FleetSnapshot fleet, RateLimitOptions limits, Func<string, (string SubscriptionId, string ResourceId)?>? findOperation)
    {
        // /subscriptions/{s}[/resourceGroups/{rg}]/providers/Microsoft.Compute/...
        var at = 2;
        string? resourceGroup = null;
        if (segments.Length > at + 1 && Is(segments[at], "resourceGroups"))
        {
            resourceGroup = segments[at + 1];
            at += 2;
        }

        if (segments.Length < at + 3 || !Is(segments[at], "providers") || !Is(segments[at + 1], ComputeNamespace))
        {
            return null;
        }

        var rest = segments.AsSpan(at + 2);
        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);
        var subscription = fleet.FindSubscription(subscriptionId);
        if (subscription is null)
        {
            return null;
        }

        if (resourceGroup is null)
        {
            return rest switch
            {
                [var type] when get && Is(type, "virtualMachines") => (HighCostGetPolicy, limits.HighCostGet, SubscriptionWide, null),
                [var type] when get && Is(type, "virtualMachineScaleSets") => (ScaleSetHighCostGetPolicy, limits.ScaleSetHighCostGet, SubscriptionWide, null),
                [var locations, var location, var operations, var operationId] when get && Is(locations, "locations") && Is(operations, "operations") =>
                    (GetOperationPolicy, limits.GetOperation, location, OperationResource(findOperation, operationId, subscriptionId)),
                _ => null,
            };
        }

        switch (rest)
        {
            case [var type] when get && Is(type, "virtualMachines"):
                return fleet.FindResourceGroupLocation(subscription, resourceGroup) is { } groupLocation
                    ? (HighCostGetPolicy, limits.HighCostGet, groupLocation, null)
                    : null;
            case [var type] when get && Is(type, "virtualMachineScaleSets"):
                return fleet.FindResourceGroupLocation(subscription, resourceGroup) is { } setsLocation
                    ? (ScaleSetHighCostGetPolicy, limits.ScaleSetHighCostGet, setsLocation, null)
                    : null;
            case [var type, var name, .. var action] when Is(type, "virtualMachines"):
            {
                if (fleet.FindVirtualMachine(subscription, resourceGroup, name) is not { } vm)
                {
                    return null;
                }

                var id = ResourceIds.VirtualMachine(subscription.SubscriptionId, vm.ResourceGroup, vm.Name);
                return OnMachine(action, get, post, (LowCostGetPolicy, limits.LowCostGet), (UpdateVMPolicy, limits.UpdateVM), vm.Location, id);
            }

            case [var type, var name, .. var tail] when Is(type, "virtualMachineScaleSets"):
            {
                if (fleet.FindScaleSet(subscription, resourceGroup, name) is not { } scaleSet)
                {
                    return null;
                }

                var setId = ResourceIds.ScaleSet(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name);
                switch (tail)
                {
                    case [] when get:
                        return (ScaleSetLowCostGetPolicy, limits.ScaleSetLowCostGet, scaleSet.Location, setId);
                    case [var view] when get && Is(view, "instanceView"):
                    case [var instances] when get && Is(instances, "virtualMachines"):
                        return (ScaleSetHighCostGetPolicy, limits.ScaleSetHighCostGet, scaleSet.Location, setId);
                    case [var instances, var instanceId, .. var action] when Is(instances, "virtualMachines"):
                    {
                        var instance = scaleSet.Instances.FirstOrDefault(i => Is(i.InstanceId, instanceId));
                        if (instance is null)
                        {
                            return null;
                        }

                        var id = ResourceIds.ScaleSetVm(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name, instance.InstanceId);
                        return OnMachine(action, get, post, (GetScaleSetVMPolicy, limits.GetScaleSetVM), (UpdateScaleSetVMPolicy, limits.UpdateScaleSetVM), scaleSet.Location, id);
                    }

                    default:
                        return null;
                }
            }

            default:
                return null;
        }
    }

    /// <summary>The resource a polled operation acts on, for the per-resource Get Operation bucket; null when unknown.</summary>
    private static string? OperationResource(Func<string, (string SubscriptionId, string ResourceId)?>? findOperation, string operationId, string subscriptionId) =>
        findOperation?.Invoke(operationId) is { } operation && string.Equals(operation.SubscriptionId, subscriptionId, StringComparison.OrdinalIgnoreCase)
            ? operation.ResourceId
            : null;

    /// <summary>
    /// A request on one machine: <c>GET</c> of it or its instance view, or its <c>runCommand</c>, <c>installPatches</c> or
    /// <c>restart</c> action (writes of the VM: Compute's "Update VM" policy, per resource and per subscription and region).
    /// </summary>
    private static (string, ComputePolicyLimit, string, string?)? OnMachine(
        ReadOnlySpan<string> action, bool get, bool post, (string Name, ComputePolicyLimit Limit) read, (string Name, ComputePolicyLimit Limit) update, string location, string resourceId) => action switch
    {
        [] when get => (read.Name, read.Limit, location, resourceId),
        [var view] when get && Is(view, "instanceView") => (read.Name, read.Limit, location, resourceId),
        [var run] when post && (Is(run, "runCommand") || Is(run, "installPatches") || Is(run, "restart")) => (update.Name, update.Limit, location, resourceId),
        _ => null,
    };

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
