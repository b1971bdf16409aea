using System.Text.Json.Nodes;
using Compliance.Core.Inventory;

namespace Compliance.Azure.Tests.ResourceManager;

public sealed class ArmResourceInventoryTests
{
    private static async Task<List<InventoryResource>> ListAsync(ArmHarness harness, string subscription = Fleets.Subscription)
    {
        var resources = new List<InventoryResource>();
        await foreach (var resource in harness.Inventory().GetResourcesAsync(subscription, CancellationToken.None))
        {
            resources.Add(resource);
        }

        return resources;
    }

    [Fact]
    public async Task GetResourcesAsync_VirtualMachines_AcrossPages_WithPowerStateTagsAndOs()
    {
        var fleet = Fleets.Of(
            Fleets.Vm("vm-1", "Windows", tags: new JsonObject { ["compliance-untrusted-code"] = "true" }),
            Fleets.Vm("vm-2", "Linux", power: "deallocated"),
            Fleets.Vm("vm-3", "Linux", power: "stopped"),
            Fleets.Vm("vm-4", "Windows", power: "starting"),
            Fleets.Vm("vm-5", "Linux"));
        await using var harness = await ArmHarness.StartAsync(fleet, pageSize: 2);

        var machines = (await ListAsync(harness)).Cast<Machine>().ToList();

        Assert.Equal(["vm-1", "vm-2", "vm-3", "vm-4", "vm-5"], machines.Select(m => m.Name).Order(StringComparer.Ordinal));
        var vm1 = machines.Single(m => m.Name == "vm-1");
        Assert.Equal(ResourceKind.VirtualMachine, vm1.Kind);
        Assert.Equal(OsType.Windows, vm1.Os);
        Assert.Equal(PowerState.Running, vm1.PowerState);
        Assert.Equal("true", vm1.FindTag("compliance-untrusted-code"));
        Assert.Equal("westeurope", vm1.Location);
        Assert.Equal(Fleets.Subscription, vm1.Id.SubscriptionId);
        Assert.Equal("rg-app", vm1.Id.ResourceGroup);
        Assert.Null(vm1.InstanceView);
        Assert.Equal(PowerState.Deallocated, machines.Single(m => m.Name == "vm-2").PowerState);
        Assert.Equal(PowerState.Stopped, machines.Single(m => m.Name == "vm-3").PowerState);
        Assert.Equal(PowerState.Starting, machines.Single(m => m.Name == "vm-4").PowerState);
        // Five VMs in pages of two: the SDK follows nextLink for both the status list and the model list.
        Assert.True(harness.Emulator.Requests.Count(r => r.PathAndQuery.Contains("skiptoken", StringComparison.OrdinalIgnoreCase)) >= 4);
        Assert.Contains(harness.Emulator.Requests, r => r.PathAndQuery.Contains("statusOnly=true", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetResourcesAsync_ScaleSetInstances_CarryTheirInstanceView()
    {
        var scaleSets = JsonNode.Parse($$"""
            [ { "name": "web-vmss", "resourceGroup": "rg-web", "location": "northeurope", "osType": "Linux", "tags": { "compliance-untrusted-code": "true", "tier": "web" },
                "instances": [
                  { "instanceId": "0", "guest": {{Fleets.Patched().ToJsonString()}} },
                  { "instanceId": "7", "powerState": "stopped", "agentStatus": "NotReady", "tags": { "tier": "batch" },
                    "maintenance": { "isCustomerInitiatedMaintenanceAllowed": true, "maintenanceWindowStartTime": "2030-01-09T00:00:00Z", "maintenanceWindowEndTime": "2030-01-10T00:00:00Z" } } ] } ]
            """)!.AsArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], scaleSets));

        var instances = (await ListAsync(harness)).Cast<Machine>().OrderBy(m => m.Name, StringComparer.Ordinal).ToList();

        Assert.Equal(["web-vmss_0", "web-vmss_7"], instances.Select(i => i.Name));
        var first = instances[0];
        Assert.Equal(ResourceKind.ScaleSetInstance, first.Kind);
        Assert.Equal(OsType.Linux, first.Os);
        Assert.Equal(PowerState.Running, first.PowerState);
        Assert.Equal(AgentStatus.Ready, first.InstanceView!.Agent);
        Assert.Equal("true", first.FindTag("compliance-untrusted-code"));
        Assert.EndsWith("/virtualMachineScaleSets/web-vmss/virtualMachines/0", first.Id.Value, StringComparison.OrdinalIgnoreCase);
        var second = instances[1];
        Assert.Equal(PowerState.Stopped, second.PowerState);
        Assert.Equal("batch", second.FindTag("tier"));
        Assert.Equal(new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero), second.InstanceView!.Maintenance!.MaintenanceWindowStart);
        Assert.True(second.InstanceView.Maintenance.HasWindow);
    }

    [Fact]
    public async Task GetResourcesAsync_CloudServices_WithConfigurationRoleInstancesAndCatalogue()
    {
        const string Configuration = "<ServiceConfiguration serviceName=\"legacy\" osFamily=\"5\" osVersion=\"WA-GUEST-OS-5.14_201712-01\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"Web\"><Instances count=\"3\" /></Role></ServiceConfiguration>";
        var cloudServices = new JsonArray(new JsonObject
        {
            ["name"] = "legacy",
            ["resourceGroup"] = "rg-legacy",
            ["location"] = "westeurope",
            ["configuration"] = Configuration,
            ["tags"] = new JsonObject { ["owner"] = "api" },
        });
        var catalogue = JsonNode.Parse("""[ { "version": "WA-GUEST-OS-5.40_202002-01", "family": "5", "isDefault": true, "isActive": true } ]""")!.AsArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], null, cloudServices, catalogue));

        var service = Assert.IsType<CloudService>(Assert.Single(await ListAsync(harness)));

        Assert.Equal(Configuration, service.Configuration);
        Assert.Equal(3, service.RoleInstanceCount);
        Assert.Equal("api", service.FindTag("owner"));
        Assert.Null(service.Os);
        var release = Assert.Single(service.Catalogue);
        Assert.Equal(new GuestOsRelease("WA-GUEST-OS-5.40_202002-01", "5", true, true, release.Label), release);
    }

    [Fact]
    public async Task GetResourcesAsync_BuiltInCatalogue_HasTheJanuary2018Releases()
    {
        var cloudServices = new JsonArray(new JsonObject { ["name"] = "cs", ["resourceGroup"] = "rg", ["location"] = "northeurope", ["configuration"] = "<ServiceConfiguration osFamily=\"4\" osVersion=\"*\" />" });
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], null, cloudServices));

        var service = Assert.IsType<CloudService>(Assert.Single(await ListAsync(harness)));

        Assert.Contains(service.Catalogue, r => r.Version == "WA-GUEST-OS-4.50_201801-01" && r.Family == "4");
        Assert.Contains(service.Catalogue, r => r.Family == "4" && r.IsDefault);
    }

    [Fact]
    public async Task GetSubscriptionsAsync_ListsTheFleetsSubscriptions()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm-1", "Linux")));

        var subscriptions = new List<SubscriptionInfo>();
        await foreach (var subscription in harness.Inventory().GetSubscriptionsAsync(CancellationToken.None))
        {
            subscriptions.Add(subscription);
        }

        Assert.Equal([new SubscriptionInfo(Fleets.Subscription, "production")], subscriptions);
    }

    [Fact]
    public async Task GetInstanceViewAsync_VirtualMachine_ReadsAgentAndMaintenance()
    {
        var maintenance = new JsonObject
        {
            ["isCustomerInitiatedMaintenanceAllowed"] = true,
            ["maintenanceWindowStartTime"] = "2030-01-09T00:00:00Z",
            ["maintenanceWindowEndTime"] = "2030-01-10T00:00:00Z",
        };
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(
            Fleets.Vm("ready", "Windows", maintenance: maintenance),
            Fleets.Vm("not-ready", "Windows", agent: "NotReady")));
        var machines = (await ListAsync(harness)).Cast<Machine>().ToList();
        var inventory = harness.Inventory();

        var ready = await inventory.GetInstanceViewAsync(machines.Single(m => m.Name == "ready"), CancellationToken.None);
        var notReady = await inventory.GetInstanceViewAsync(machines.Single(m => m.Name == "not-ready"), CancellationToken.None);

        Assert.Equal(AgentStatus.Ready, ready.Agent);
        Assert.Equal(new MaintenanceWindow(true, null, null, new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero), ready.Maintenance!.LastOperationResultCode), ready.Maintenance);
        Assert.Equal(AgentStatus.NotReady, notReady.Agent);
        Assert.Null(notReady.Maintenance);
    }

    private static string ComputeId(string path, string subscription = Fleets.Subscription, string resourceGroup = "rg-app") =>
        $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/{path}";

    private static string OneOfEachFleet()
    {
        var maintenance = new JsonObject
        {
            ["isCustomerInitiatedMaintenanceAllowed"] = true,
            ["maintenanceWindowStartTime"] = "2030-01-09T00:00:00Z",
            ["maintenanceWindowEndTime"] = "2030-01-10T00:00:00Z",
        };
        var scaleSets = JsonNode.Parse("""
            [ { "name": "web-vmss", "resourceGroup": "rg-web", "location": "northeurope", "osType": "Linux", "tags": { "tier": "web" },
                "instances": [
                  { "instanceId": "0" },
                  { "instanceId": "7", "powerState": "stopped", "agentStatus": "NotReady", "tags": { "tier": "batch" },
                    "maintenance": { "isCustomerInitiatedMaintenanceAllowed": true, "maintenanceWindowStartTime": "2030-01-09T00:00:00Z", "maintenanceWindowEndTime": "2030-01-10T00:00:00Z" } } ] } ]
            """)!.AsArray();
        var cloudServices = new JsonArray(new JsonObject
        {
            ["name"] = "legacy",
            ["resourceGroup"] = "rg-legacy",
            ["location"] = "westeurope",
            ["configuration"] = "<ServiceConfiguration serviceName=\"legacy\" osFamily=\"5\" osVersion=\"*\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"Web\"><Instances count=\"3\" /></Role></ServiceConfiguration>",
            ["tags"] = new JsonObject { ["owner"] = "api" },
        });
        var catalogue = JsonNode.Parse("""[ { "version": "WA-GUEST-OS-5.40_202002-01", "family": "5", "isDefault": true, "isActive": true } ]""")!.AsArray();
        return Fleets.Fleet(
            Fleets.Subscription,
            [
                Fleets.Vm("vm-1", "Windows", tags: new JsonObject { ["compliance-untrusted-code"] = "true" }, maintenance: maintenance),
                Fleets.Vm("vm-2", "Linux", power: "deallocated", agent: "NotReady"),
                Fleets.Vm("vm-3", "Linux", agent: "NotReady"),
            ],
            scaleSets,
            cloudServices,
            catalogue);
    }

    [Fact]
    public async Task GetResourceAsync_VirtualMachine_WithPowerStateTagsOsAndInstanceView()
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());
        var inventory = harness.Inventory();

        var vm1 = Assert.IsType<Machine>(await inventory.GetResourceAsync(new ResourceId(ComputeId("virtualMachines/vm-1")), CancellationToken.None));
        var vm2 = Assert.IsType<Machine>(await inventory.GetResourceAsync(new ResourceId(ComputeId("virtualMachines/vm-2")), CancellationToken.None));

        Assert.Equal(ComputeId("virtualMachines/vm-1"), vm1.Id.Value, ignoreCase: true);
        Assert.Equal(ResourceKind.VirtualMachine, vm1.Kind);
        Assert.Equal("vm-1", vm1.Name);
        Assert.Equal("westeurope", vm1.Location);
        Assert.Equal(OsType.Windows, vm1.Os);
        Assert.Equal(PowerState.Running, vm1.PowerState);
        Assert.Equal("true", vm1.FindTag("compliance-untrusted-code"));
        Assert.Equal(AgentStatus.Ready, vm1.InstanceView!.Agent);
        Assert.Equal(new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero), vm1.InstanceView.Maintenance!.MaintenanceWindowStart);
        Assert.Equal(new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero), vm1.InstanceView.Maintenance.MaintenanceWindowEnd);
        Assert.Equal(OsType.Linux, vm2.Os);
        Assert.Equal(PowerState.Deallocated, vm2.PowerState);
        Assert.Empty(vm2.Tags);
        Assert.Equal(AgentStatus.Unknown, vm2.InstanceView!.Agent);
        var vm3 = Assert.IsType<Machine>(await inventory.GetResourceAsync(new ResourceId(ComputeId("virtualMachines/vm-3")), CancellationToken.None));
        Assert.Equal(PowerState.Running, vm3.PowerState);
        Assert.Equal(AgentStatus.NotReady, vm3.InstanceView!.Agent);
        Assert.Null(vm3.InstanceView.Maintenance);
        Assert.Contains(harness.Emulator.Requests, r => r.PathAndQuery.Contains("virtualMachines/vm-1", StringComparison.OrdinalIgnoreCase) && r.PathAndQuery.Contains("instanceView", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetResourceAsync_ScaleSetInstance_WithItsInstanceViewAndTheScaleSetsOs()
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());
        var inventory = harness.Inventory();

        var first = Assert.IsType<Machine>(await inventory.GetResourceAsync(new ResourceId(ComputeId("virtualMachineScaleSets/web-vmss/virtualMachines/0", resourceGroup: "rg-web")), CancellationToken.None));
        var seventh = Assert.IsType<Machine>(await inventory.GetResourceAsync(new ResourceId(ComputeId("virtualMachineScaleSets/web-vmss/virtualMachines/7", resourceGroup: "rg-web")), CancellationToken.None));

        Assert.Equal(ResourceKind.ScaleSetInstance, first.Kind);
        Assert.Equal("web-vmss_0", first.Name);
        Assert.Equal("northeurope", first.Location);
        Assert.Equal(OsType.Linux, first.Os);
        Assert.Equal(PowerState.Running, first.PowerState);
        Assert.Equal(AgentStatus.Ready, first.InstanceView!.Agent);
        Assert.EndsWith("/virtualMachineScaleSets/web-vmss/virtualMachines/0", first.Id.Value, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("web-vmss_7", seventh.Name);
        Assert.Equal(OsType.Linux, seventh.Os);
        Assert.Equal(PowerState.Stopped, seventh.PowerState);
        Assert.Equal("batch", seventh.FindTag("tier"));
        // A machine that is not running has no vmAgent in its instance view (as in ARM): the agent is unknown.
        Assert.Equal(AgentStatus.Unknown, seventh.InstanceView!.Agent);
        Assert.True(seventh.InstanceView.Maintenance!.HasWindow);
    }

    [Fact]
    public async Task GetResourceAsync_CloudService_WithConfigurationRoleInstancesAndCatalogue()
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());

        var service = Assert.IsType<CloudService>(await harness.Inventory().GetResourceAsync(new ResourceId(ComputeId("cloudServices/legacy", resourceGroup: "rg-legacy")), CancellationToken.None));

        Assert.Equal(ResourceKind.CloudService, service.Kind);
        Assert.Equal("legacy", service.Name);
        Assert.Equal("westeurope", service.Location);
        Assert.Null(service.Os);
        Assert.Contains("osFamily=\"5\"", service.Configuration, StringComparison.Ordinal);
        Assert.Equal(3, service.RoleInstanceCount);
        Assert.Equal("api", service.FindTag("owner"));
        var release = Assert.Single(service.Catalogue);
        Assert.Equal(new GuestOsRelease("WA-GUEST-OS-5.40_202002-01", "5", true, true, release.Label), release);
    }

    [Theory]
    [InlineData("virtualMachines/vm-1", "rg-app")]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/7", "rg-web")]
    [InlineData("cloudServices/legacy", "rg-legacy")]
    public async Task GetResourceAsync_AnyCasing_FindsTheResource(string path, string resourceGroup)
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());
        var inventory = harness.Inventory();
        var id = ComputeId(path, resourceGroup: resourceGroup);

        var upper = await inventory.GetResourceAsync(new ResourceId(id.ToUpperInvariant()), CancellationToken.None);
        var lower = await inventory.GetResourceAsync(new ResourceId(id.ToLowerInvariant()), CancellationToken.None);

        Assert.NotNull(upper);
        Assert.NotNull(lower);
        Assert.Equal(new ResourceId(id), upper.Id);
        Assert.Equal(new ResourceId(id), lower.Id);
        Assert.Equal(upper.Name, lower.Name, ignoreCase: true);
    }

    [Theory]
    // The resource itself is missing.
    [InlineData("virtualMachines/vm-9", "rg-app", Fleets.Subscription)]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/99", "rg-web", Fleets.Subscription)]
    [InlineData("virtualMachineScaleSets/gone-vmss/virtualMachines/0", "rg-web", Fleets.Subscription)]
    [InlineData("cloudServices/gone", "rg-legacy", Fleets.Subscription)]
    // In a resource group that does not exist, or one that holds something else.
    [InlineData("virtualMachines/vm-1", "rg-gone", Fleets.Subscription)]
    [InlineData("virtualMachines/vm-1", "rg-web", Fleets.Subscription)]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/0", "rg-gone", Fleets.Subscription)]
    [InlineData("cloudServices/legacy", "rg-gone", Fleets.Subscription)]
    // In a subscription that does not exist.
    [InlineData("virtualMachines/vm-1", "rg-app", Fleets.OtherSubscription)]
    [InlineData("virtualMachineScaleSets/web-vmss/virtualMachines/0", "rg-web", Fleets.OtherSubscription)]
    [InlineData("cloudServices/legacy", "rg-legacy", Fleets.OtherSubscription)]
    public async Task GetResourceAsync_Missing_IsNull(string path, string resourceGroup, string subscription)
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());

        var resource = await harness.Inventory().GetResourceAsync(new ResourceId(ComputeId(path, subscription, resourceGroup)), CancellationToken.None);

        Assert.Null(resource);
    }

    [Theory]
    [InlineData("virtualMachineScaleSets/web-vmss")]
    [InlineData("virtualMachines/vm-1/extensions/x")]
    [InlineData("disks/vm-1_OsDisk_1")]
    public async Task GetResourceAsync_NotAJudgedType_Throws(string path)
    {
        await using var harness = await ArmHarness.StartAsync(OneOfEachFleet());

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Inventory().GetResourceAsync(new ResourceId(ComputeId(path)), CancellationToken.None));
    }

    [Fact]
    public async Task GetResourcesAsync_UnknownSubscription_Throws()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm-1", "Linux")));

        var error = await Assert.ThrowsAsync<global::Azure.RequestFailedException>(() => ListAsync(harness, Fleets.OtherSubscription));

        Assert.Equal(404, error.Status);
    }

    [Fact]
    public async Task GetScaleSetInstanceIdsAsync_ListsEveryInstanceAcrossPages_AndNullWhenTheSetIsGone()
    {
        var scaleSets = JsonNode.Parse("""
            [ { "name": "web-vmss", "resourceGroup": "rg-web", "osType": "Linux",
                "instances": [ { "instanceId": "0" }, { "instanceId": "1" }, { "instanceId": "4" } ] } ]
            """)!.AsArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], scaleSets), pageSize: 2);
        var scaleSet = new ResourceId($"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss");

        var ids = await harness.Inventory().GetScaleSetInstanceIdsAsync(scaleSet, CancellationToken.None);
        var gone = await harness.Inventory().GetScaleSetInstanceIdsAsync(new ResourceId(scaleSet.Value.Replace("web-vmss", "other", StringComparison.Ordinal)), CancellationToken.None);

        Assert.Equal(["0", "1", "4"], ids!.Select(id => id.Value[(id.Value.LastIndexOf('/') + 1)..]).Order(StringComparer.Ordinal));
        Assert.All(ids!, id => Assert.StartsWith(scaleSet.Value + "/virtualMachines/", id.Value, StringComparison.OrdinalIgnoreCase));
        Assert.Null(gone);
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Inventory().GetScaleSetInstanceIdsAsync(ids![0], CancellationToken.None));
    }
}
