namespace Compliance.Emulator.Arm;

/// <summary>
/// The canonical ARM ids of emulated resources, spelled the way ARM returns them.
/// </summary>
internal static class ResourceIds
{
    public static string Subscription(string subscriptionId) => $"/subscriptions/{subscriptionId}";

    public static string ResourceGroup(string subscriptionId, string resourceGroup) =>
        $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}";

    public static string VirtualMachine(string subscriptionId, string resourceGroup, string name) =>
        $"{Compute(subscriptionId, resourceGroup)}/virtualMachines/{name}";

    public static string ScaleSet(string subscriptionId, string resourceGroup, string name) =>
        $"{Compute(subscriptionId, resourceGroup)}/virtualMachineScaleSets/{name}";

    public static string ScaleSetVm(string subscriptionId, string resourceGroup, string scaleSet, string instanceId) =>
        $"{ScaleSet(subscriptionId, resourceGroup, scaleSet)}/virtualMachines/{instanceId}";

    public static string CloudService(string subscriptionId, string resourceGroup, string name) =>
        $"{Compute(subscriptionId, resourceGroup)}/cloudServices/{name}";

    public static string Location(string subscriptionId, string location) =>
        $"/subscriptions/{subscriptionId}/providers/Microsoft.Compute/locations/{location}";

    private static string Compute(string subscriptionId, string resourceGroup) =>
        $"{ResourceGroup(subscriptionId, resourceGroup)}/providers/Microsoft.Compute";
}
