using System.Diagnostics.CodeAnalysis;

namespace Compliance.Emulator.Arm;

/// <summary>
/// Finds what a request path names, or the ARM error for the first part that is missing.
/// </summary>
internal static class MachineLookup
{
    public static bool TrySubscription(
        FleetSnapshot snapshot,
        string subscriptionId,
        [NotNullWhen(true)] out FleetSubscription? subscription,
        [NotNullWhen(false)] out ArmError? error)
    {
        subscription = snapshot.FindSubscription(subscriptionId);
        error = subscription is null ? ArmError.SubscriptionNotFound(subscriptionId) : null;
        return subscription is not null;
    }

    public static bool TryVirtualMachine(
        FleetSnapshot snapshot,
        string subscriptionId,
        string resourceGroupName,
        string vmName,
        [NotNullWhen(true)] out EmulatedMachine? machine,
        [NotNullWhen(false)] out ArmError? error)
    {
        machine = null;
        if (!TrySubscription(snapshot, subscriptionId, out var subscription, out error))
        {
            return false;
        }

        if (snapshot.FindVirtualMachine(subscription, resourceGroupName, vmName) is not { } vm)
        {
            error = ArmError.ResourceNotFound(VirtualMachineJson.ResourceType, vmName, resourceGroupName);
            return false;
        }

        machine = EmulatedMachine.Of(subscription, vm);
        return true;
    }

    public static bool TryScaleSet(
        FleetSnapshot snapshot,
        string subscriptionId,
        string resourceGroupName,
        string scaleSetName,
        [NotNullWhen(true)] out FleetSubscription? subscription,
        [NotNullWhen(true)] out FleetScaleSet? scaleSet,
        [NotNullWhen(false)] out ArmError? error)
    {
        scaleSet = null;
        if (!TrySubscription(snapshot, subscriptionId, out subscription, out error))
        {
            return false;
        }

        scaleSet = snapshot.FindScaleSet(subscription, resourceGroupName, scaleSetName);
        if (scaleSet is null)
        {
            error = ArmError.ResourceNotFound(ScaleSetJson.ResourceType, scaleSetName, resourceGroupName);
            return false;
        }

        return true;
    }

    public static bool TryScaleSetVm(
        FleetSnapshot snapshot,
        string subscriptionId,
        string resourceGroupName,
        string scaleSetName,
        string instanceId,
        [NotNullWhen(true)] out FleetScaleSet? scaleSet,
        [NotNullWhen(true)] out FleetScaleSetInstance? instance,
        [NotNullWhen(true)] out EmulatedMachine? machine,
        [NotNullWhen(false)] out ArmError? error)
    {
        instance = null;
        machine = null;
        if (!TryScaleSet(snapshot, subscriptionId, resourceGroupName, scaleSetName, out var subscription, out scaleSet, out error))
        {
            return false;
        }

        instance = scaleSet.Instances.FirstOrDefault(i => string.Equals(i.InstanceId, instanceId, StringComparison.OrdinalIgnoreCase));
        if (instance is null)
        {
            error = ArmError.ResourceNotFound($"{ScaleSetJson.ResourceType}/{scaleSet.Name}/virtualMachines", instanceId, resourceGroupName);
            return false;
        }

        machine = EmulatedMachine.Of(subscription, scaleSet, instance);
        return true;
    }

    public static bool TryCloudService(
        FleetSnapshot snapshot,
        string subscriptionId,
        string resourceGroupName,
        string cloudServiceName,
        [NotNullWhen(true)] out FleetSubscription? subscription,
        [NotNullWhen(true)] out FleetCloudService? service,
        [NotNullWhen(false)] out ArmError? error)
    {
        service = null;
        if (!TrySubscription(snapshot, subscriptionId, out subscription, out error))
        {
            return false;
        }

        service = snapshot.FindCloudService(subscription, resourceGroupName, cloudServiceName);
        if (service is null)
        {
            error = ArmError.ResourceNotFound(CloudServiceJson.ResourceType, cloudServiceName, resourceGroupName);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Finds the scope of a list: the subscription, and the resource group when the route names one (a group the fleet
    /// does not have is ARM's <c>ResourceGroupNotFound</c>).
    /// </summary>
    public static bool TryListScope(
        FleetSnapshot snapshot,
        string subscriptionId,
        string? resourceGroupName,
        [NotNullWhen(true)] out FleetSubscription? subscription,
        [NotNullWhen(false)] out ArmError? error)
    {
        if (!TrySubscription(snapshot, subscriptionId, out subscription, out error))
        {
            return false;
        }

        if (resourceGroupName is not null
            && snapshot.FindResourceGroupLocation(subscription, resourceGroupName) is null)
        {
            error = ArmError.ResourceGroupNotFound(resourceGroupName);
            subscription = null;
            return false;
        }

        return true;
    }
}
