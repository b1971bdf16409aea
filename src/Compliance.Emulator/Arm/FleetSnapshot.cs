namespace Compliance.Emulator.Arm;

/// <summary>
/// One immutable version of the fleet with the case-insensitive look-ups ARM routing needs.
/// </summary>
internal sealed class FleetSnapshot
{
    private readonly Dictionary<string, FleetSubscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetVirtualMachine> _virtualMachines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetScaleSet> _scaleSets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetCloudService> _cloudServices = new(StringComparer.OrdinalIgnoreCase);

    public FleetSnapshot(FleetDocument document)
    {
        Document = document;
        OsVersions = GuestOsCatalogue.For(document);
        foreach (var subscription in document.Subscriptions)
        {
            _subscriptions[subscription.SubscriptionId] = subscription;
            foreach (var vm in subscription.VirtualMachines)
            {
                _virtualMachines[Key(subscription, vm.ResourceGroup, vm.Name)] = vm;
            }

            foreach (var scaleSet in subscription.ScaleSets)
            {
                _scaleSets[Key(subscription, scaleSet.ResourceGroup, scaleSet.Name)] = scaleSet;
            }

            foreach (var service in subscription.CloudServices)
            {
                _cloudServices[Key(subscription, service.ResourceGroup, service.Name)] = service;
            }
        }
    }

    public FleetDocument Document { get; }

    public IReadOnlyList<FleetOsVersion> OsVersions { get; }

    public FleetSubscription? FindSubscription(string subscriptionId) =>
        _subscriptions.GetValueOrDefault(subscriptionId);

    public FleetVirtualMachine? FindVirtualMachine(FleetSubscription subscription, string resourceGroup, string name) =>
        _virtualMachines.GetValueOrDefault(Key(subscription, resourceGroup, name));

    public FleetScaleSet? FindScaleSet(FleetSubscription subscription, string resourceGroup, string name) =>
        _scaleSets.GetValueOrDefault(Key(subscription, resourceGroup, name));

    public FleetCloudService? FindCloudService(FleetSubscription subscription, string resourceGroup, string name) =>
        _cloudServices.GetValueOrDefault(Key(subscription, resourceGroup, name));

    // Names never contain '/', so the joined key is unambiguous.
    private static string Key(FleetSubscription subscription, string resourceGroup, string name) =>
        $"{subscription.SubscriptionId}/{resourceGroup}/{name}";
}
