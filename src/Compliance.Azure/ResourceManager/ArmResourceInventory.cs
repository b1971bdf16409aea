using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Compliance.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// The inventory through <c>Azure.ResourceManager.Compute</c>: per subscription one paged list of VM power states
/// (<c>statusOnly=true</c>, which carries no tags or profiles) and one of VM models, the scale sets with their
/// instances' instance views, and the Cloud Services with their role instances and the Guest OS catalogue of their
/// location.
/// </summary>
internal sealed class ArmResourceInventory(ArmClient client, ILogger<ArmResourceInventory> logger) : IResourceInventory
{
    /// <inheritdoc />
    public async IAsyncEnumerable<SubscriptionInfo> GetSubscriptionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var subscription in client.GetSubscriptions().GetAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (subscription.Data.SubscriptionId is { Length: > 0 } id)
            {
                yield return new SubscriptionInfo(id, subscription.Data.DisplayName);
            }
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<InventoryResource> GetResourcesAsync(string subscriptionId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subscriptionId);
        var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscriptionId));

        var powerStates = new Dictionary<string, PowerState>(StringComparer.OrdinalIgnoreCase);
        await foreach (var vm in subscription.GetVirtualMachinesAsync(statusOnly: "true", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            powerStates[vm.Id.ToString()] = ArmInstanceViews.PowerStateOf(vm.Data.InstanceView?.Statuses);
        }

        await foreach (var vm in subscription.GetVirtualMachinesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return VirtualMachine(vm.Data, powerStates.GetValueOrDefault(vm.Id.ToString(), PowerState.Unknown), instanceView: null);
        }

        await foreach (var scaleSet in subscription.GetVirtualMachineScaleSetsAsync(cancellationToken).ConfigureAwait(false))
        {
            var scaleSetOs = ArmInstanceViews.OsOf(scaleSet.Data.VirtualMachineProfile?.StorageProfile?.OSDisk?.OSType);
            var instances = scaleSet.GetVirtualMachineScaleSetVms().GetAllAsync(expand: "instanceView", cancellationToken: cancellationToken);
            await foreach (var instance in instances.ConfigureAwait(false))
            {
                yield return ScaleSetInstance(instance.Data, scaleSetOs);
            }
        }

        var catalogues = new Dictionary<string, IReadOnlyList<GuestOsRelease>>(StringComparer.OrdinalIgnoreCase);
        await foreach (var service in subscription.GetCloudServicesAsync(cancellationToken).ConfigureAwait(false))
        {
            var location = service.Data.Location;
            if (!catalogues.TryGetValue(location.Name, out var catalogue))
            {
                catalogue = await ReadCatalogueAsync(subscription, location, cancellationToken).ConfigureAwait(false);
                catalogues[location.Name] = catalogue;
            }

            yield return await CloudServiceAsync(service, catalogue, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<InventoryResource?> GetResourceAsync(ResourceId id, CancellationToken cancellationToken)
    {
        var identifier = new ResourceIdentifier(id.Value);
        var type = identifier.ResourceType.ToString();
        try
        {
            if (string.Equals(type, "Microsoft.Compute/virtualMachines", StringComparison.OrdinalIgnoreCase))
            {
                var vm = await client.GetVirtualMachineResource(identifier).GetAsync(InstanceViewType.InstanceView, cancellationToken).ConfigureAwait(false);
                var view = vm.Value.Data.InstanceView;
                return VirtualMachine(vm.Value.Data, ArmInstanceViews.PowerStateOf(view?.Statuses), view is null ? null : ArmInstanceViews.ViewOf(view.VmAgent, view.MaintenanceRedeployStatus));
            }

            if (string.Equals(type, "Microsoft.Compute/virtualMachineScaleSets/virtualMachines", StringComparison.OrdinalIgnoreCase))
            {
                var instance = await client.GetVirtualMachineScaleSetVmResource(identifier).GetAsync(InstanceViewType.InstanceView, cancellationToken).ConfigureAwait(false);
                var scaleSetOs = instance.Value.Data.StorageProfile?.OSDisk?.OSType is null && identifier.Parent is { } parent
                    ? ArmInstanceViews.OsOf((await client.GetVirtualMachineScaleSetResource(parent).GetAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Data.VirtualMachineProfile?.StorageProfile?.OSDisk?.OSType)
                    : null;
                return ScaleSetInstance(instance.Value.Data, scaleSetOs);
            }

            if (string.Equals(type, "Microsoft.Compute/cloudServices", StringComparison.OrdinalIgnoreCase))
            {
                var service = await client.GetCloudServiceResource(identifier).GetAsync(cancellationToken).ConfigureAwait(false);
                var subscription = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(identifier.SubscriptionId));
                var catalogue = await ReadCatalogueAsync(subscription, service.Value.Data.Location, cancellationToken).ConfigureAwait(false);
                return await CloudServiceAsync(service.Value, catalogue, cancellationToken).ConfigureAwait(false);
            }

            throw new ArgumentException($"'{type}' is not a resource type Compliance judges.", nameof(id));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ResourceId>?> GetScaleSetInstanceIdsAsync(ResourceId scaleSet, CancellationToken cancellationToken)
    {
        var identifier = new ResourceIdentifier(scaleSet.Value);
        if (!string.Equals(identifier.ResourceType.ToString(), "Microsoft.Compute/virtualMachineScaleSets", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{scaleSet.Value}' is not a scale set.", nameof(scaleSet));
        }

        var ids = new List<ResourceId>();
        try
        {
            // Ids only: each instance's re-check reads it (and its instance view) again when it runs.
            await foreach (var instance in client.GetVirtualMachineScaleSetResource(identifier).GetVirtualMachineScaleSetVms().GetAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                ids.Add(new ResourceId(instance.Id.ToString()));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }

        return ids;
    }

    private static Machine VirtualMachine(VirtualMachineData data, PowerState powerState, MachineInstanceView? instanceView) => new(
        new ResourceId(data.Id.ToString()),
        ResourceKind.VirtualMachine,
        data.Name,
        data.Location.Name,
        ArmInstanceViews.OsOf(data.StorageProfile?.OSDisk?.OSType),
        powerState,
        ArmInstanceViews.TagsOf(data.Tags),
        instanceView);

    private static Machine ScaleSetInstance(VirtualMachineScaleSetVmData data, OsType? scaleSetOs)
    {
        var view = data.InstanceView;
        return new Machine(
            new ResourceId(data.Id.ToString()),
            ResourceKind.ScaleSetInstance,
            data.Name,
            data.Location.Name,
            ArmInstanceViews.OsOf(data.StorageProfile?.OSDisk?.OSType) ?? scaleSetOs,
            ArmInstanceViews.PowerStateOf(view?.Statuses),
            ArmInstanceViews.TagsOf(data.Tags),
            view is null ? null : ArmInstanceViews.ViewOf(view.VmAgent, view.MaintenanceRedeployStatus));
    }

    private async Task<CloudService> CloudServiceAsync(CloudServiceResource service, IReadOnlyList<GuestOsRelease> catalogue, CancellationToken cancellationToken) => new(
        new ResourceId(service.Id.ToString()),
        service.Data.Name,
        service.Data.Location.Name,
        ArmInstanceViews.TagsOf(service.Data.Tags),
        service.Data.Configuration,
        await CountRoleInstancesAsync(service, cancellationToken).ConfigureAwait(false),
        catalogue);

    /// <inheritdoc />
    public async Task<MachineInstanceView> GetInstanceViewAsync(Machine machine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(machine);
        var id = new ResourceIdentifier(machine.Id.Value);
        if (machine.Kind == ResourceKind.ScaleSetInstance)
        {
            var view = await client.GetVirtualMachineScaleSetVmResource(id).GetInstanceViewAsync(cancellationToken).ConfigureAwait(false);
            return ArmInstanceViews.ViewOf(view.Value.VmAgent, view.Value.MaintenanceRedeployStatus);
        }

        var vmView = await client.GetVirtualMachineResource(id).InstanceViewAsync(cancellationToken).ConfigureAwait(false);
        return ArmInstanceViews.ViewOf(vmView.Value.VmAgent, vmView.Value.MaintenanceRedeployStatus);
    }

    // The catalogue only adds evidence and suggestions; a failure to read it must not hide the verdict.
    private async Task<IReadOnlyList<GuestOsRelease>> ReadCatalogueAsync(SubscriptionResource subscription, AzureLocation location, CancellationToken cancellationToken)
    {
        try
        {
            var releases = new List<GuestOsRelease>();
            await foreach (var version in subscription.GetCloudServiceOSVersions(location).GetAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var data = version.Data;
                if (data.Version is { Length: > 0 } name && data.Family is { Length: > 0 } family)
                {
                    releases.Add(new GuestOsRelease(name, family, data.IsDefault == true, data.IsActive == true, data.Label));
                }
            }

            return releases;
        }
        catch (RequestFailedException ex)
        {
            ArmLog.CatalogueUnavailable(logger, location.Name, ex.Status, ex.ErrorCode);
            return [];
        }
    }

    private async Task<int?> CountRoleInstancesAsync(CloudServiceResource service, CancellationToken cancellationToken)
    {
        try
        {
            var count = 0;
            await foreach (var _ in service.GetCloudServiceRoleInstances().GetAllAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                count++;
            }

            return count;
        }
        catch (RequestFailedException ex)
        {
            ArmLog.RoleInstancesUnavailable(logger, service.Id.ToString(), ex.Status, ex.ErrorCode);
            return null;
        }
    }
}
