using System.Globalization;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Payload pieces shared by the resource shapers: subscriptions, resource groups, tags, times.
/// </summary>
internal static class ArmJson
{
    /// <summary>The tenant every emulated subscription belongs to.</summary>
    public const string TenantId = "c0a1e5f2-7b3d-4e8a-9f61-2d4c8b0e9a17";

    public static JsonObject Subscription(FleetSubscription subscription) => new()
    {
        ["id"] = ResourceIds.Subscription(subscription.SubscriptionId),
        ["subscriptionId"] = subscription.SubscriptionId,
        ["tenantId"] = TenantId,
        ["displayName"] = subscription.DisplayName,
        ["state"] = "Enabled",
        ["subscriptionPolicies"] = new JsonObject
        {
            ["locationPlacementId"] = "Public_2014-09-01",
            ["quotaId"] = "PayAsYouGo_2014-09-01",
            ["spendingLimit"] = "Off",
        },
        ["authorizationSource"] = "RoleBased",
    };

    public static JsonObject ResourceGroup(string subscriptionId, string name, string location) => new()
    {
        ["id"] = ResourceIds.ResourceGroup(subscriptionId, name),
        ["name"] = name,
        ["type"] = "Microsoft.Resources/resourceGroups",
        ["location"] = location,
        ["properties"] = new JsonObject { ["provisioningState"] = "Succeeded" },
    };

    public static JsonObject Tags(IReadOnlyDictionary<string, string> tags)
    {
        var result = new JsonObject();
        foreach (var (name, value) in tags)
        {
            result[name] = value;
        }

        return result;
    }

    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
}
