using Azure;
using Azure.Core;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;

namespace Compliance.Emulator.Tests;

public sealed class CloudServiceEndpointsTests
{
    [Fact]
    public async Task ListCloudServices_Subscription_ServesConfigurationVerbatimWithDerivedRoles()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var services = new List<CloudServiceResource>();
        await foreach (var service in VirtualMachineEndpointsTests.Subscription(emulator).GetCloudServicesAsync())
        {
            services.Add(service);
        }

        var data = Assert.Single(services).Data;
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api", data.Id.ToString());
        Assert.Equal(TestFleets.Configuration, data.Configuration);
        Assert.Equal(["Web", "Worker"], data.Roles.Select(r => r.Name));
        Assert.Equal([2L, 1L], data.Roles.Select(r => r.Sku.Capacity));
        Assert.Equal("Standard_D1_v2", data.Roles[0].Sku.Name);
        Assert.Equal(CloudServiceUpgradeMode.Auto, data.UpgradeMode);
        Assert.Equal("legacy", data.Tags["tier"]);
    }

    [Fact]
    public async Task ListRoleInstances_ExpandInstanceView_DerivesInstancesFromConfiguration()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var instances = new List<CloudServiceRoleInstanceResource>();
        await foreach (var instance in CloudService(emulator).GetCloudServiceRoleInstances().GetAllAsync(InstanceViewType.InstanceView))
        {
            instances.Add(instance);
        }

        Assert.Equal(["Web_IN_0", "Web_IN_1", "Worker_IN_0"], instances.Select(i => i.Data.Name));
        var first = instances[0].Data;
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api/roleInstances/Web_IN_0", first.Id.ToString());
        Assert.Equal("Standard_D1_v2", first.Sku.Name);
        var status = Assert.Single(first.InstanceView.Statuses);
        Assert.Equal("RoleState/RoleStateStarted", status.Code);
        Assert.Equal("RoleStateStarted", status.DisplayStatus);
        Assert.NotNull(first.InstanceView.PrivateId);
    }

    [Fact]
    public async Task ListRoleInstances_WithoutExpand_HasNoInstanceView()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var instances = new List<CloudServiceRoleInstanceResource>();
        await foreach (var instance in CloudService(emulator).GetCloudServiceRoleInstances().GetAllAsync())
        {
            instances.Add(instance);
        }

        Assert.Equal(3, instances.Count);
        Assert.All(instances, i => Assert.Null(i.Data.InstanceView));
    }

    [Fact]
    public async Task Get_ExplicitRolesAndUnparsableConfiguration_ServesBothAsGiven()
    {
        var fleet = FleetDocument.Parse($$"""
            {"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}","cloudServices":[
              {"name":"explicit","resourceGroup":"rg","configuration":"<ServiceConfiguration><Role name=\"Web\"><Instances count=\"9\"/></Role></ServiceConfiguration>",
               "roles":[{"name":"Api","instances":3}]},
              {"name":"broken","resourceGroup":"rg","configuration":"<ServiceConfiguration><Role"}]}]}
            """);
        await using var emulator = await ArmEmulator.StartAsync(fleet);
        var client = ArmClientFactory.Create(emulator);

        CloudServiceResource explicitRoles = await client.GetCloudServiceResource(CloudServiceResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg", "explicit")).GetAsync();
        CloudServiceResource broken = await client.GetCloudServiceResource(CloudServiceResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg", "broken")).GetAsync();

        Assert.Equal("Api", Assert.Single(explicitRoles.Data.Roles).Name);
        Assert.Equal(3, explicitRoles.Data.Roles[0].Sku.Capacity);
        Assert.Equal("<ServiceConfiguration><Role", broken.Data.Configuration);
        Assert.Empty(broken.Data.Roles);
    }

    [Fact]
    public async Task Get_ConfigurationWithDtd_IsServedButYieldsNoRoles()
    {
        const string hostile = """<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><ServiceConfiguration><Role name="&e;"><Instances count="1"/></Role></ServiceConfiguration>""";
        var fleet = FleetDocument.Parse($$"""
            {"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}","cloudServices":[
              {"name":"dtd","resourceGroup":"rg","configuration":{{System.Text.Json.JsonSerializer.Serialize(hostile)}}}]}]}
            """);
        await using var emulator = await ArmEmulator.StartAsync(fleet);

        CloudServiceResource service = await ArmClientFactory.Create(emulator)
            .GetCloudServiceResource(CloudServiceResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg", "dtd")).GetAsync();

        Assert.Equal(hostile, service.Data.Configuration);
        Assert.Empty(service.Data.Roles);
    }

    [Fact]
    public async Task Get_UnknownCloudService_Returns404ResourceNotFound()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => ArmClientFactory.Create(emulator)
            .GetCloudServiceResource(CloudServiceResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-legacy", "nope")).GetAsync());

        Assert.Equal(404, error.Status);
        Assert.StartsWith("The Resource 'Microsoft.Compute/cloudServices/nope' under resource group 'rg-legacy' was not found.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OsVersions_NoFleetCatalogue_ServesBuiltInSnapshot()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var versions = await ListOsVersionsAsync(emulator, AzureLocation.WestEurope);

        Assert.Equal(20, versions.Count);
        Assert.Equal(
            ["WA-GUEST-OS-2.95_202002-01", "WA-GUEST-OS-3.82_202002-01", "WA-GUEST-OS-4.75_202002-01", "WA-GUEST-OS-5.40_202002-01", "WA-GUEST-OS-6.16_202001-01", "WA-GUEST-OS-7.5_202111-01"],
            versions.Where(v => v.IsDefault == true).Select(v => v.Version));
        Assert.All(versions, v => Assert.Equal(v.IsDefault, v.IsActive));
        var release = versions.Single(v => v.Version == "WA-GUEST-OS-5.15_201801-01");
        Assert.Equal("Windows Azure Guest OS 5.15 (Release 201801-01)", release.Label);
        Assert.Equal("5", release.Family);
        Assert.Equal("Windows Server 2016", release.FamilyLabel);
        Assert.False(release.IsDefault);
        Assert.Equal("Windows Server 2022", versions.Single(v => v.Family == "7").FamilyLabel);
        Assert.Equal("westeurope", release.Location);
    }

    [Fact]
    public async Task OsVersions_FleetCatalogue_ReplacesBuiltInForEveryLocation()
    {
        var fleet = FleetDocument.Parse($$"""
            {"subscriptions":[{"subscriptionId":"{{TestFleets.SubscriptionId}}"}],
             "cloudServiceOsVersions":[
               {"version":"WA-GUEST-OS-5.15_201801-01","family":"5","isDefault":false,"isActive":true},
               {"version":"custom-1","family":"9","isDefault":true,"label":"Custom","familyLabel":"Custom family"}]}
            """);
        await using var emulator = await ArmEmulator.StartAsync(fleet);

        var west = await ListOsVersionsAsync(emulator, AzureLocation.WestEurope);
        var north = await ListOsVersionsAsync(emulator, AzureLocation.NorthEurope);

        Assert.Equal(["WA-GUEST-OS-5.15_201801-01", "custom-1"], west.Select(v => v.Version));
        Assert.Equal(west.Select(v => v.Version), north.Select(v => v.Version));
        Assert.Equal("Windows Azure Guest OS 5.15 (Release 201801-01)", west[0].Label);
        Assert.Equal("Windows Server 2016", west[0].FamilyLabel);
        Assert.True(west[0].IsActive);
        Assert.Equal("Custom", west[1].Label);
        Assert.Equal("Custom family", west[1].FamilyLabel);
        Assert.True(west[1].IsDefault);
    }

    [Fact]
    public async Task OsVersion_GetByName_ReturnsOneOr404()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var collection = VirtualMachineEndpointsTests.Subscription(emulator).GetCloudServiceOSVersions(AzureLocation.WestEurope);

        CloudServiceOSVersionResource version = await collection.GetAsync("WA-GUEST-OS-4.75_202002-01");
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => collection.GetAsync("WA-GUEST-OS-9.9_209901-01"));

        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/locations/westeurope/cloudServiceOSVersions/WA-GUEST-OS-4.75_202002-01", version.Id.ToString());
        Assert.Equal("Windows Server 2012 R2", version.Data.FamilyLabel);
        Assert.Equal(404, error.Status);
    }

    private static CloudServiceResource CloudService(ArmEmulator emulator) =>
        ArmClientFactory.Create(emulator).GetCloudServiceResource(
            CloudServiceResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-legacy", "legacy-api"));

    private static async Task<List<CloudServiceOSVersionData>> ListOsVersionsAsync(ArmEmulator emulator, AzureLocation location)
    {
        var versions = new List<CloudServiceOSVersionData>();
        await foreach (var version in VirtualMachineEndpointsTests.Subscription(emulator).GetCloudServiceOSVersions(location).GetAllAsync())
        {
            versions.Add(version.Data);
        }

        return versions;
    }
}
