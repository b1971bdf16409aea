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

    private IResult ListSubscriptions(HttpContext context) =>
        Paging.Page(context, backend.Endpoint, backend.PageSize, backend.Fleet.Current.Document.Subscriptions, ArmJson.Subscription);

    private IResult GetSubscription(string subscriptionId) =>
        backend.Fleet.Current.FindSubscription(subscriptionId) is { } subscription
            ? ArmResults.Json(ArmJson.Subscription(subscription))
            : ArmError.SubscriptionNotFound(subscriptionId).ToResult();

    private IResult ListResourceGroups(HttpContext context, string subscriptionId)
    {
        var snapshot = backend.Fleet.Current;
        if (snapshot.FindSubscription(subscriptionId) is not { } subscription)
        {
            return ArmError.SubscriptionNotFound(subscriptionId).ToResult();
        }

        return Paging.Page(context, backend.Endpoint, backend.PageSize, snapshot.ResourceGroups(subscription), g => ArmJson.ResourceGroup(subscription.SubscriptionId, g.Name, g.Location));
    }

    private IResult GetResourceGroup(string subscriptionId, string resourceGroupName)
    {
        var snapshot = backend.Fleet.Current;
        if (snapshot.FindSubscription(subscriptionId) is not { } subscription)
        {
            return ArmError.SubscriptionNotFound(subscriptionId).ToResult();
        }

        foreach (var (name, location) in snapshot.ResourceGroups(subscription))
        {
            if (string.Equals(name, resourceGroupName, StringComparison.OrdinalIgnoreCase))
            {
                return ArmResults.Json(ArmJson.ResourceGroup(subscription.SubscriptionId, name, location));
            }
        }

        return ArmError.ResourceGroupNotFound(resourceGroupName).ToResult();
    }
}
