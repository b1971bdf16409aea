using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Virtual machine payloads: the full model and the <c>statusOnly</c> list item.
/// </summary>
internal static class VirtualMachineJson
{
    public const string ResourceType = "Microsoft.Compute/virtualMachines";

    public static JsonObject Full(EmulatedMachine vm, DateTimeOffset? instanceViewAt)
    {
        var properties = new JsonObject
        {
            ["vmId"] = VmId(vm),
            ["hardwareProfile"] = new JsonObject { ["vmSize"] = vm.VmSize },
            ["storageProfile"] = StorageProfile(vm, $"{vm.Name}_OsDisk_1"),
            ["osProfile"] = new JsonObject { ["computerName"] = vm.ComputerName },
            ["provisioningState"] = "Succeeded",
        };
        if (instanceViewAt is { } now)
        {
            properties["instanceView"] = InstanceViewJson.For(vm, now);
        }

        return new JsonObject
        {
            ["id"] = vm.ResourceId,
            ["name"] = vm.Name,
            ["type"] = ResourceType,
            ["location"] = vm.Location,
            ["tags"] = ArmJson.Tags(vm.Tags),
            ["properties"] = properties,
        };
    }

    /// <summary>What ARM lists with <c>statusOnly=true</c>: run-time status, no tags or profiles.</summary>
    public static JsonObject StatusOnly(EmulatedMachine vm) => new()
    {
        ["id"] = vm.ResourceId,
        ["name"] = vm.Name,
        ["type"] = ResourceType,
        ["location"] = vm.Location,
        ["properties"] = new JsonObject
        {
            ["vmId"] = VmId(vm),
            ["instanceView"] = new JsonObject { ["statuses"] = InstanceViewJson.Statuses(vm.PowerState) },
        },
    };

    public static string VmId(EmulatedMachine machine) => StableGuid.From("vmId", machine.ResourceId).ToString("D");

    public static JsonObject StorageProfile(EmulatedMachine machine, string? osDiskName)
    {
        var osDisk = new JsonObject { ["osType"] = FleetNames.Of(machine.OsType) };
        if (osDiskName is not null)
        {
            osDisk["name"] = osDiskName;
        }

        osDisk["createOption"] = "FromImage";
        osDisk["caching"] = "ReadWrite";
        osDisk["managedDisk"] = new JsonObject { ["storageAccountType"] = "Premium_LRS" };
        return new JsonObject
        {
            ["imageReference"] = Image(machine.Image),
            ["osDisk"] = osDisk,
        };
    }

    public static JsonObject Image(FleetImage image) => new()
    {
        ["publisher"] = image.Publisher,
        ["offer"] = image.Offer,
        ["sku"] = image.Sku,
        ["version"] = image.Version,
    };
}
