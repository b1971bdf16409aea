namespace Compliance.Emulator.Arm;

/// <summary>
/// One immutable version of the fleet with the case-insensitive look-ups ARM routing needs, all built in one pass
/// so that a fleet of tens of thousands of machines starts, and is listed page by page, in linear time.
/// </summary>
internal sealed class FleetSnapshot
{
    private readonly Dictionary<string, FleetSubscription> _subscriptions = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetVirtualMachine> _virtualMachines = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetScaleSet> _scaleSets = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FleetCloudService> _cloudServices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, IReadOnlyList<(string Name, string Location)>> _resourceGroups = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ResourceGroupContents> _groupContents = new(StringComparer.OrdinalIgnoreCase);

    public FleetSnapshot(FleetDocument document)
    {
        Document = document;
        OsVersions = GuestOsCatalogue.For(document);
        foreach (var subscription in document.Subscriptions)
        {
            _subscriptions[subscription.SubscriptionId] = subscription;
            var groups = new List<(string Name, string Location)>();
            foreach (var vm in subscription.VirtualMachines)
            {
                _virtualMachines[Key(subscription, vm.ResourceGroup, vm.Name)] = vm;
                Group(subscription, vm.ResourceGroup, vm.Location, groups).VirtualMachines.Add(vm);
            }

            foreach (var scaleSet in subscription.ScaleSets)
            {
                _scaleSets[Key(subscription, scaleSet.ResourceGroup, scaleSet.Name)] = scaleSet;
                Group(subscription, scaleSet.ResourceGroup, scaleSet.Location, groups).ScaleSets.Add(scaleSet);
            }

            foreach (var service in subscription.CloudServices)
            {
                _cloudServices[Key(subscription, service.ResourceGroup, service.Name)] = service;
                Group(subscription, service.ResourceGroup, service.Location, groups).CloudServices.Add(service);
            }

            _resourceGroups[subscription.SubscriptionId] = groups;
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

    /// <summary>The resource groups of a subscription in fleet order (VMs, then scale sets, then Cloud Services), each with the location of its first resource.</summary>
    public IReadOnlyList<(string Name, string Location)> ResourceGroups(FleetSubscription subscription) =>
        _resourceGroups.GetValueOrDefault(subscription.SubscriptionId) ?? [];

    /// <summary>The location of a resource group (that of its first resource); <see langword="null"/> when the fleet has no such group.</summary>
    public string? FindResourceGroupLocation(FleetSubscription subscription, string resourceGroup) =>
        _groupContents.GetValueOrDefault(GroupKey(subscription, resourceGroup))?.Location;

    /// <summary>The virtual machines of a subscription, or of one of its resource groups when <paramref name="resourceGroup"/> is set.</summary>
    public IReadOnlyList<FleetVirtualMachine> VirtualMachines(FleetSubscription subscription, string? resourceGroup) =>
        resourceGroup is null ? subscription.VirtualMachines : _groupContents.GetValueOrDefault(GroupKey(subscription, resourceGroup))?.VirtualMachines ?? [];

    /// <summary>The scale sets of a subscription, or of one of its resource groups when <paramref name="resourceGroup"/> is set.</summary>
    public IReadOnlyList<FleetScaleSet> ScaleSets(FleetSubscription subscription, string? resourceGroup) =>
        resourceGroup is null ? subscription.ScaleSets : _groupContents.GetValueOrDefault(GroupKey(subscription, resourceGroup))?.ScaleSets ?? [];

    /// <summary>The Cloud Services of a subscription, or of one of its resource groups when <paramref name="resourceGroup"/> is set.</summary>
    public IReadOnlyList<FleetCloudService> CloudServices(FleetSubscription subscription, string? resourceGroup) =>
        resourceGroup is null ? subscription.CloudServices : _groupContents.GetValueOrDefault(GroupKey(subscription, resourceGroup))?.CloudServices ?? [];

    // Names never contain '/', so the joined key is unambiguous.
    private static string Key(FleetSubscription subscription, string resourceGroup, string name) =>
        $"{subscription.SubscriptionId}/{resourceGroup}/{name}";

    private static string GroupKey(FleetSubscription subscription, string resourceGroup) =>
        $"{subscription.SubscriptionId}/{resourceGroup}";

    private ResourceGroupContents Group(FleetSubscription subscription, string resourceGroup, string location, List<(string Name, string Location)> groups)
    {
        var key = GroupKey(subscription, resourceGroup);
        if (!_groupContents.TryGetValue(key, out var contents))
        {
            contents = new ResourceGroupContents(location);
            _groupContents[key] = contents;
            groups.Add((resourceGroup, location));
        }

        return contents;
    }

    private sealed class ResourceGroupContents(string location)
    {
        public string Location => location;

        public List<FleetVirtualMachine> VirtualMachines { get; } = [];

        public List<FleetScaleSet> ScaleSets { get; } = [];

        public List<FleetCloudService> CloudServices { get; } = [];
    }
}
