namespace Compliance.Emulator.Arm;

/// <summary>
/// Applies a <see cref="FleetMachineChange"/> to the one virtual machine or scale-set instance that an ARM id names.
/// </summary>
internal static class MachineUpdate
{
    /// <exception cref="ArgumentException">No machine of the fleet has that id.</exception>
    public static FleetDocument Apply(FleetDocument fleet, string resourceId, Func<FleetMachineChange, FleetMachineChange> change)
    {
        var subscriptions = fleet.Subscriptions.ToArray();
        for (var s = 0; s < subscriptions.Length; s++)
        {
            if (Apply(subscriptions[s], resourceId, change) is { } changed)
            {
                subscriptions[s] = changed;
                return new FleetDocument { Subscriptions = subscriptions, CloudServiceOsVersions = fleet.CloudServiceOsVersions };
            }
        }

        throw new ArgumentException($"'{resourceId}' names no virtual machine or scale-set instance of the fleet.", nameof(resourceId));
    }

    private static FleetSubscription? Apply(FleetSubscription subscription, string resourceId, Func<FleetMachineChange, FleetMachineChange> change)
    {
        var vms = subscription.VirtualMachines.ToArray();
        for (var v = 0; v < vms.Length; v++)
        {
            var vm = vms[v];
            if (Matches(ResourceIds.VirtualMachine(subscription.SubscriptionId, vm.ResourceGroup, vm.Name), resourceId))
            {
                var next = Change(change, new FleetMachineChange { PowerState = vm.PowerState, AgentStatus = vm.AgentStatus, Guest = vm.Guest, RunCommand = vm.RunCommand });
                vms[v] = vm with { PowerState = next.PowerState, AgentStatus = next.AgentStatus, Guest = next.Guest, RunCommand = next.RunCommand };
                return subscription with { VirtualMachines = vms };
            }
        }

        var scaleSets = subscription.ScaleSets.ToArray();
        for (var s = 0; s < scaleSets.Length; s++)
        {
            var scaleSet = scaleSets[s];
            var instances = scaleSet.Instances.ToArray();
            for (var i = 0; i < instances.Length; i++)
            {
                var instance = instances[i];
                if (Matches(ResourceIds.ScaleSetVm(subscription.SubscriptionId, scaleSet.ResourceGroup, scaleSet.Name, instance.InstanceId), resourceId))
                {
                    var next = Change(change, new FleetMachineChange { PowerState = instance.PowerState, AgentStatus = instance.AgentStatus, Guest = instance.Guest, RunCommand = instance.RunCommand });
                    instances[i] = instance with { PowerState = next.PowerState, AgentStatus = next.AgentStatus, Guest = next.Guest, RunCommand = next.RunCommand };
                    scaleSets[s] = scaleSet with { Instances = instances };
                    return subscription with { ScaleSets = scaleSets };
                }
            }
        }

        return null;
    }

    private static FleetMachineChange Change(Func<FleetMachineChange, FleetMachineChange> change, FleetMachineChange current) =>
        change(current) ?? throw new InvalidOperationException("The machine change returned null.");

    // ARM ids compare case-insensitively.
    private static bool Matches(string id, string wanted) => string.Equals(id, wanted, StringComparison.OrdinalIgnoreCase);
}
