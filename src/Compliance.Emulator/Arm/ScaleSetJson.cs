using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Scale set and scale-set instance payloads.
/// </summary>
internal static class ScaleSetJson
{
    public const string ResourceType = "Microsoft.Compute/virtualMachineScaleSets";
    public const string InstanceResourceType = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines";

    public static JsonObject ScaleSet(FleetSubscription subscription, FleetScaleSet scaleSet)
    {
        var id = ResourceIds.ScaleSet(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name);
        var image = scaleSet.Image ?? FleetImage.DefaultFor(scaleSet.OsType);
        return new JsonObject
        {
            ["id"] = id,
            ["name"] = scaleSet.Name,
            ["type"] = ResourceType,
            ["location"] = scaleSet.Location,
            ["tags"] = ArmJson.Tags(scaleSet.Tags),
            ["sku"] = Sku(scaleSet),
            ["properties"] = new JsonObject
            {
                ["upgradePolicy"] = new JsonObject { ["mode"] = "Manual" },
                ["virtualMachineProfile"] = new JsonObject
                {
                    ["storageProfile"] = new JsonObject
                    {
                        ["imageReference"] = VirtualMachineJson.Image(image),
                        ["osDisk"] = new JsonObject
                        {
                            ["osType"] = FleetNames.Of(scaleSet.OsType),
                            ["createOption"] = "FromImage",
                            ["caching"] = "ReadWrite",
                        },
                    },
                },
                ["provisioningState"] = "Succeeded",
                ["uniqueId"] = StableGuid.From("uniqueId", id).ToString("D"),
            },
        };
    }

    public static JsonObject Instance(FleetScaleSet scaleSet, FleetScaleSetInstance instance, EmulatedMachine machine, DateTimeOffset? instanceViewAt)
    {
        var properties = new JsonObject
        {
            ["latestModelApplied"] = true,
            ["vmId"] = VirtualMachineJson.VmId(machine),
            ["hardwareProfile"] = new JsonObject { ["vmSize"] = machine.VmSize },
            ["storageProfile"] = VirtualMachineJson.StorageProfile(machine, $"{machine.Name}_OsDisk_1"),
            ["osProfile"] = new JsonObject { ["computerName"] = machine.ComputerName },
            ["provisioningState"] = "Succeeded",
        };
        if (instanceViewAt is { } now)
        {
            properties["instanceView"] = InstanceViewJson.For(machine, now);
        }

        return new JsonObject
        {
            ["id"] = machine.ResourceId,
            ["name"] = machine.Name,
            ["type"] = InstanceResourceType,
            ["location"] = machine.Location,
            ["tags"] = ArmJson.Tags(machine.Tags),
            ["instanceId"] = instance.InstanceId,
            ["sku"] = new JsonObject { ["name"] = scaleSet.VmSize, ["tier"] = "Standard" },
            ["properties"] = properties,
        };
    }

    private static JsonObject Sku(FleetScaleSet scaleSet) => new()
    {
        ["name"] = scaleSet.VmSize,
        ["tier"] = "Standard",
        ["capacity"] = scaleSet.Instances.Count,
    };
}
