using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Subscriptions and the resource groups the fleet implies.
/// </summary>
internal sealed class SubscriptionEndpoints(EmulatorBackend backend)
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/subscriptions", ListSubscriptions);
        routes.MapGet("/subscriptions/{subscriptionId}", GetSubscription);
        routes.MapGet("/subscriptions/{subscriptionId}/resourceGroups", ListResourceGroups);
        routes.MapGet("/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}", GetResourceGroup);
    }

    /// <summary>The resource groups of a subscription, each with the location of its first resource.</summary>
    public static IReadOnlyList<(string Name, string Location)> ResourceGroups(FleetSubscription subscription)
    {
        var groups = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var resources = subscription.VirtualMachines.Select(vm => (vm.ResourceGroup, vm.Location))
            .Concat(subscription.ScaleSets.Select(ss => (ss.ResourceGroup, ss.Location)))
            .Concat(subscription.CloudServices.Select(cs => (cs.ResourceGroup, cs.Location)));
        foreach (var (group, location) in resources)
        {
            if (seen.Add(group))
            {
                groups.Add((group, location));
            }
        }

        return groups;
    }

    private IResult ListSubscriptions(HttpContext context) =>
        Paging.Page(context, backend.Endpoint, backend.PageSize, backend.Fleet.Current.Document.Subscriptions, ArmJson.Subscription);

    private IResult GetSubscription(string subscriptionId) =>
        backend.Fleet.Current.FindSubscription(subscriptionId) is { } subscription
            ? ArmResults.Json(ArmJson.Subscription(subscription))
            : ArmError.SubscriptionNotFound(subscriptionId).ToResult();

    private IResult ListResourceGroups(HttpContext context, string subscriptionId)
    {
        if (backend.Fleet.Current.FindSubscription(subscriptionId) is not { } subscription)
        {
            return ArmError.SubscriptionNotFound(subscriptionId).ToResult();
        }

        return Paging.Page(context, backend.Endpoint, backend.PageSize, ResourceGroups(subscription), g => ArmJson.ResourceGroup(subscription.SubscriptionId, g.Name, g.Location));
    }

    private IResult GetResourceGroup(string subscriptionId, string resourceGroupName)
    {
        if (backend.Fleet.Current.FindSubscription(subscriptionId) is not { } subscription)
        {
            return ArmError.SubscriptionNotFound(subscriptionId).ToResult();
        }

        foreach (var (name, location) in ResourceGroups(subscription))
        {
            if (string.Equals(name, resourceGroupName, StringComparison.OrdinalIgnoreCase))
            {
                return ArmResults.Json(ArmJson.ResourceGroup(subscription.SubscriptionId, name, location));
            }
        }

        return ArmError.ResourceGroupNotFound(resourceGroupName).ToResult();
    }
}
