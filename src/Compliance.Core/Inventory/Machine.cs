namespace Compliance.Core.Inventory;

/// <summary>A virtual machine or a scale-set instance: something with a guest to check through Run Command.</summary>
/// <param name="Id">The ARM resource id.</param>
/// <param name="Kind"><see cref="ResourceKind.VirtualMachine"/> or <see cref="ResourceKind.ScaleSetInstance"/>.</param>
/// <param name="Name">The machine name (scale-set instances: <c>{scaleSet}_{instanceId}</c>).</param>
/// <param name="Location">The Azure region.</param>
/// <param name="Os">The OS type from the machine's storage profile.</param>
/// <param name="PowerState">The power state from the instance view.</param>
/// <param name="Tags">The machine's tags.</param>
/// <param name="InstanceView">The instance view when the listing already carried it; otherwise <c>null</c>.</param>
public sealed record Machine(
    ResourceId Id,
    ResourceKind Kind,
    string Name,
    string Location,
    OsType? Os,
    PowerState PowerState,
    IReadOnlyDictionary<string, string> Tags,
    MachineInstanceView? InstanceView)
    : InventoryResource(Id, Kind, Name, Location, Os, Tags);
