using System.Globalization;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Cloud Service (extended support), role instance and Guest OS version payloads.
/// </summary>
internal static class CloudServiceJson
{
    public const string ResourceType = "Microsoft.Compute/cloudServices";

    public static IReadOnlyList<FleetCloudServiceRole> Roles(FleetCloudService service) =>
        service.Roles ?? CloudServiceConfiguration.DeriveRoles(service.Configuration);

    public static JsonObject CloudService(FleetSubscription subscription, FleetCloudService service)
    {
        var id = ResourceIds.CloudService(subscription.SubscriptionId, service.ResourceGroup, service.Name);
        var roles = new JsonArray();
        foreach (var role in Roles(service))
        {
            roles.Add(new JsonObject
            {
                ["name"] = role.Name,
                ["sku"] = new JsonObject { ["name"] = role.VmSize, ["tier"] = "Standard", ["capacity"] = role.Instances },
            });
        }

        return new JsonObject
        {
            ["id"] = id,
            ["name"] = service.Name,
            ["type"] = ResourceType,
            ["location"] = service.Location,
            ["tags"] = ArmJson.Tags(service.Tags),
            ["properties"] = new JsonObject
            {
                ["configuration"] = service.Configuration,
                ["upgradeMode"] = "Auto",
                ["roleProfile"] = new JsonObject { ["roles"] = roles },
                ["osProfile"] = new JsonObject { ["secrets"] = new JsonArray() },
                ["provisioningState"] = "Succeeded",
                ["uniqueId"] = StableGuid.From("uniqueId", id).ToString("D"),
            },
        };
    }

    /// <summary>Every role instance of the service, named <c>{role}_IN_{n}</c> as Azure names them.</summary>
    public static IReadOnlyList<(FleetCloudServiceRole Role, string Name)> RoleInstances(FleetCloudService service)
    {
        var instances = new List<(FleetCloudServiceRole, string)>();
        foreach (var role in Roles(service))
        {
            for (var i = 0; i < role.Instances; i++)
            {
                instances.Add((role, $"{role.Name}_IN_{i.ToString(CultureInfo.InvariantCulture)}"));
            }
        }

        return instances;
    }

    public static JsonObject RoleInstance(FleetSubscription subscription, FleetCloudService service, FleetCloudServiceRole role, string name, bool instanceView)
    {
        var id = $"{ResourceIds.CloudService(subscription.SubscriptionId, service.ResourceGroup, service.Name)}/roleInstances/{name}";
        var properties = new JsonObject
        {
            ["networkProfile"] = new JsonObject { ["networkInterfaces"] = new JsonArray() },
        };
        if (instanceView)
        {
            var index = int.Parse(name[(name.LastIndexOf('_') + 1)..], CultureInfo.InvariantCulture);
            properties["instanceView"] = new JsonObject
            {
                ["platformUpdateDomain"] = index % 5,
                ["platformFaultDomain"] = index % 2,
                ["privateId"] = StableGuid.From("privateId", id).ToString("D"),
                ["statuses"] = new JsonArray(new JsonObject
                {
                    ["code"] = "RoleState/RoleStateStarted",
                    ["level"] = "Info",
                    ["displayStatus"] = "RoleStateStarted",
                    ["message"] = "",
                }),
            };
        }

        return new JsonObject
        {
            ["name"] = name,
            ["id"] = id,
            ["type"] = $"{ResourceType}/roleInstances",
            ["location"] = service.Location,
            ["sku"] = new JsonObject { ["name"] = role.VmSize, ["tier"] = "Standard" },
            ["properties"] = properties,
        };
    }

    public static JsonObject OsVersion(string subscriptionId, string location, FleetOsVersion version) => new()
    {
        ["name"] = version.Version,
        ["id"] = $"{ResourceIds.Location(subscriptionId, location)}/cloudServiceOSVersions/{version.Version}",
        ["type"] = "Microsoft.Compute/locations/cloudServiceOsVersions",
        ["location"] = location,
        ["properties"] = new JsonObject
        {
            ["version"] = version.Version,
            ["label"] = version.Label ?? GuestOsCatalogue.LabelOf(version.Version),
            ["isDefault"] = version.IsDefault,
            ["isActive"] = version.IsActive,
            ["family"] = version.Family,
            ["familyLabel"] = version.FamilyLabel ?? GuestOsCatalogue.FamilyLabelOf(version.Family),
        },
    };
}
