using System.Globalization;
using System.Text.Json;

namespace Compliance.Emulator.Arm;

/// <summary>
/// A virtual machine or scale-set instance as the ARM payloads and Run Command see it: the
/// fleet entry resolved against its subscription and, for instances, its scale set.
/// </summary>
internal sealed record EmulatedMachine
{
    public required string SubscriptionId { get; init; }

    public required string ResourceGroup { get; init; }

    public required string ResourceId { get; init; }

    /// <summary>The name ARM uses in messages: the VM name, or <c>{scaleSet}_{instanceId}</c>.</summary>
    public required string Name { get; init; }

    public required string ComputerName { get; init; }

    public required string Location { get; init; }

    public required FleetOsType OsType { get; init; }

    public required string VmSize { get; init; }

    public required FleetImage Image { get; init; }

    public required FleetPowerState PowerState { get; init; }

    public required FleetAgentStatus AgentStatus { get; init; }

    public required IReadOnlyDictionary<string, string> Tags { get; init; }

    public FleetMaintenance? Maintenance { get; init; }

    public JsonElement? Guest { get; init; }

    public FleetRunCommand? RunCommand { get; init; }

    /// <summary>How <c>installPatches</c> behaves; always <see langword="null"/> for scale-set instances, which have no such action.</summary>
    public FleetInstallPatches? InstallPatches { get; init; }

    public static EmulatedMachine Of(FleetSubscription subscription, FleetVirtualMachine vm) => new()
    {
        SubscriptionId = subscription.SubscriptionId,
        ResourceGroup = vm.ResourceGroup,
        ResourceId = ResourceIds.VirtualMachine(subscription.SubscriptionId, vm.ResourceGroup, vm.Name),
        Name = vm.Name,
        ComputerName = vm.Name,
        Location = vm.Location,
        OsType = vm.OsType,
        VmSize = vm.VmSize,
        Image = vm.Image ?? FleetImage.DefaultFor(vm.OsType),
        PowerState = vm.PowerState,
        AgentStatus = vm.AgentStatus,
        Tags = vm.Tags,
        Maintenance = vm.Maintenance,
        Guest = vm.Guest,
        RunCommand = vm.RunCommand,
        InstallPatches = vm.InstallPatches,
    };

    public static EmulatedMachine Of(FleetSubscription subscription, FleetScaleSet scaleSet, FleetScaleSetInstance instance)
    {
        var tags = new Dictionary<string, string>(scaleSet.Tags, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in instance.Tags)
        {
            tags[name] = value;
        }

        // Scale-set computer names are the prefix followed by the instance id as six digits.
        var computerName = int.TryParse(instance.InstanceId, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? $"{scaleSet.Name}{number:D6}"
            : $"{scaleSet.Name}{instance.InstanceId}";
        return new EmulatedMachine
        {
            SubscriptionId = subscription.SubscriptionId,
            ResourceGroup = scaleSet.ResourceGroup,
            ResourceId = ResourceIds.ScaleSetVm(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name, instance.InstanceId),
            Name = $"{scaleSet.Name}_{instance.InstanceId}",
            ComputerName = computerName,
            Location = scaleSet.Location,
            OsType = instance.OsType,
            VmSize = scaleSet.VmSize,
            Image = scaleSet.Image ?? FleetImage.DefaultFor(instance.OsType),
            PowerState = instance.PowerState,
            AgentStatus = instance.AgentStatus,
            Tags = tags,
            Maintenance = instance.Maintenance,
            Guest = instance.Guest,
            RunCommand = instance.RunCommand,
        };
    }
}
