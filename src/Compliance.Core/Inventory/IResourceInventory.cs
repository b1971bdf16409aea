namespace Compliance.Core.Inventory;

/// <summary>The port to the control plane: lists what exists and its run-time state. Never touches a guest.</summary>
public interface IResourceInventory
{
    /// <summary>Lists the subscriptions the identity can read.</summary>
    IAsyncEnumerable<SubscriptionInfo> GetSubscriptionsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Lists a subscription's virtual machines (with power state), scale-set instances (with instance view) and
    /// Cloud Services (with configuration and the Guest OS catalogue of their location).
    /// </summary>
    IAsyncEnumerable<InventoryResource> GetResourcesAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>Reads a machine's instance view: agent state and planned maintenance.</summary>
    Task<MachineInstanceView> GetInstanceViewAsync(Machine machine, CancellationToken cancellationToken);

    /// <summary>
    /// Reads one virtual machine (with its instance view), scale-set instance or Cloud Service; <c>null</c> when it does
    /// not exist (any more).
    /// </summary>
    Task<InventoryResource?> GetResourceAsync(ResourceId id, CancellationToken cancellationToken);

    /// <summary>Lists the ids of a scale set's instances; <c>null</c> when the scale set does not exist (any more).</summary>
    Task<IReadOnlyList<ResourceId>?> GetScaleSetInstanceIdsAsync(ResourceId scaleSet, CancellationToken cancellationToken);
}
