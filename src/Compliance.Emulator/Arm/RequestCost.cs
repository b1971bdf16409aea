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

    public static RequestCost Of(string method, string path, FleetSnapshot fleet, RateLimitOptions limits)
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
        var compute = subscriptionId is null ? [] : ComputeDemands(method, segments, subscriptionId, fleet, limits);
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

    private static List<BucketDemand> ComputeDemands(string method, string[] segments, string subscriptionId, FleetSnapshot fleet, RateLimitOptions limits)
    {
        var demands = new List<BucketDemand>(2);
        if (Classify(method, segments, subscriptionId, fleet, limits) is not { } target)
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
        string method, string[] segments, string subscriptionId, FleetSnapshot fleet, RateLimitOptions limits)
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
                [var type] when get && (Is(type, "virtualMachines") || Is(type, "virtualMachineScaleSets")) =>
                    ("HighCostGet", limits.HighCostGet, SubscriptionWide, null),
                [var locations, var location, var operations, _] when get && Is(locations, "locations") && Is(operations, "operations") =>
                    ("GetOperation", limits.GetOperation, location, null),
                _ => null,
            };
        }

        switch (rest)
        {
            case [var type] when get && (Is(type, "virtualMachines") || Is(type, "virtualMachineScaleSets")):
                return fleet.FindResourceGroupLocation(subscription, resourceGroup) is { } groupLocation
                    ? ("HighCostGet", limits.HighCostGet, groupLocation, null)
                    : null;
            case [var type, var name, .. var action] when Is(type, "virtualMachines"):
            {
                if (fleet.FindVirtualMachine(subscription, resourceGroup, name) is not { } vm)
                {
                    return null;
                }

                var id = ResourceIds.VirtualMachine(subscription.SubscriptionId, vm.ResourceGroup, vm.Name);
                return OnMachine(action, get, post, limits, vm.Location, id);
            }

            case [var type, var name, var instances, .. var tail] when Is(type, "virtualMachineScaleSets") && Is(instances, "virtualMachines"):
            {
                if (fleet.FindScaleSet(subscription, resourceGroup, name) is not { } scaleSet)
                {
                    return null;
                }

                if (tail.Length == 0)
                {
                    return get ? ("HighCostGet", limits.HighCostGet, scaleSet.Location, null) : null;
                }

                var instanceId = tail[0];
                var instance = scaleSet.Instances.FirstOrDefault(i => Is(i.InstanceId, instanceId));
                if (instance is null)
                {
                    return null;
                }

                var id = ResourceIds.ScaleSetVm(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name, instance.InstanceId);
                return OnMachine(tail[1..], get, post, limits, scaleSet.Location, id);
            }

            default:
                return null;
        }
    }

    /// <summary>A request on one machine: <c>GET</c> of it or its instance view, or its <c>runCommand</c> action.</summary>
    private static (string, ComputePolicyLimit, string, string?)? OnMachine(ReadOnlySpan<string> action, bool get, bool post, RateLimitOptions limits, string location, string resourceId) => action switch
    {
        [] when get => ("LowCostGet", limits.LowCostGet, location, resourceId),
        [var view] when get && Is(view, "instanceView") => ("LowCostGet", limits.LowCostGet, location, resourceId),
        [var run] when post && Is(run, "runCommand") => ("UpdateVM", limits.UpdateVM, location, resourceId),
        _ => null,
    };

    private static bool Is(string segment, string expected) => string.Equals(segment, expected, StringComparison.OrdinalIgnoreCase);
}
