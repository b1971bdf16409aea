namespace Compliance.Emulator;

/// <summary>
/// One subscription of the fleet (<c>subscriptions[]</c>).
/// </summary>
public sealed record FleetSubscription
{
    /// <summary>The subscription id, a GUID.</summary>
    public required string SubscriptionId { get; init; }

    /// <summary>The display name; <c>subscription-&lt;first 8 characters of the id&gt;</c> unless the file says otherwise.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The virtual machines.</summary>
    public IReadOnlyList<FleetVirtualMachine> VirtualMachines { get; init; } = [];

    /// <summary>The virtual machine scale sets.</summary>
    public IReadOnlyList<FleetScaleSet> ScaleSets { get; init; } = [];

    /// <summary>The Cloud Services (extended support).</summary>
    public IReadOnlyList<FleetCloudService> CloudServices { get; init; } = [];
}
