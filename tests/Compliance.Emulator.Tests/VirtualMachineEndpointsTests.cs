using Azure;
using Azure.ResourceManager;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class VirtualMachineEndpointsTests
{
    private static readonly DateTimeOffset _now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task ListVirtualMachines_PageSizeTwo_ReturnsAllFiveThroughNextLinks()
    {
        var fleet = TestFleets.WithVirtualMachines(
            TestFleets.Vm("vm-1"), TestFleets.Vm("vm-2"), TestFleets.Vm("vm-3", "Linux"), TestFleets.Vm("vm-4"), TestFleets.Vm("vm-5"));
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions { PageSize = 2 });

        var names = (await ListAsync(Subscription(emulator))).Select(vm => vm.Data.Name);

        Assert.Equal(["vm-1", "vm-2", "vm-3", "vm-4", "vm-5"], names);
        var lists = emulator.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal(3, lists.Count);
        Assert.DoesNotContain("$skiptoken", lists[0], StringComparison.Ordinal);
        Assert.EndsWith("&$skiptoken=2", lists[1], StringComparison.Ordinal);
        Assert.EndsWith("&$skiptoken=4", lists[2], StringComparison.Ordinal);
        Assert.All(lists, l => Assert.StartsWith($"/subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/virtualMachines?api-version=2023-07-01", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListVirtualMachines_StatusOnly_ReturnsPowerStatesButNoTagsOrProfiles()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var machines = await ListAsync(Subscription(emulator), statusOnly: "true");
        var byName = machines.ToDictionary(vm => vm.Data.Name, vm => vm.Data);

        Assert.Equal(12, machines.Count);
        Assert.Equal(["ProvisioningState/succeeded", "PowerState/running"], byName["win-ok"].InstanceView.Statuses.Select(s => s.Code));
        Assert.Equal("PowerState/stopped", byName["win-stopped"].InstanceView.Statuses[1].Code);
        Assert.Equal("VM stopped", byName["win-stopped"].InstanceView.Statuses[1].DisplayStatus);
        Assert.Equal("PowerState/deallocated", byName["win-deallocated"].InstanceView.Statuses[1].Code);
        Assert.Empty(byName["win-ok"].Tags);
        Assert.Null(byName["win-ok"].HardwareProfile);
        Assert.Null(byName["win-ok"].StorageProfile);
        Assert.Null(byName["win-ok"].InstanceView.VmAgent);
        Assert.NotNull(byName["win-ok"].VmId);
    }

    [Fact]
    public async Task ListVirtualMachines_Default_ReturnsFullModelWithoutInstanceView()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var vm = (await ListAsync(Subscription(emulator))).Single(m => m.Data.Name == "win-ok").Data;

        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok", vm.Id.ToString());
        Assert.Equal("Microsoft.Compute/virtualMachines", vm.ResourceType.ToString());
        Assert.Equal("westeurope", vm.Location.Name);
        Assert.Equal("true", vm.Tags["compliance-untrusted-code"]);
        Assert.Equal(VirtualMachineSizeType.StandardD4SV3, vm.HardwareProfile.VmSize);
        Assert.Equal("2016-Datacenter", vm.StorageProfile.ImageReference.Sku);
        Assert.Equal(SupportedOperatingSystemType.Windows, vm.StorageProfile.OSDisk.OSType);
        Assert.Equal("win-ok_OsDisk_1", vm.StorageProfile.OSDisk.Name);
        Assert.Equal("win-ok", vm.OSProfile.ComputerName);
        Assert.Equal("Succeeded", vm.ProvisioningState);
        Assert.Null(vm.InstanceView);
    }

    [Fact]
    public async Task VmId_SameFleetTwice_IsStableAndDiffersBetweenMachines()
    {
        string[] first;
        string[] second;
        await using (var emulator = await ArmEmulator.StartAsync(TestFleets.Standard()))
        {
            first = (await ListAsync(Subscription(emulator))).Select(vm => vm.Data.VmId).ToArray();
        }

        await using (var emulator = await ArmEmulator.StartAsync(TestFleets.Standard()))
        {
            second = (await ListAsync(Subscription(emulator))).Select(vm => vm.Data.VmId).ToArray();
        }

        Assert.Equal(first, second);
        Assert.Equal(first.Length, first.Distinct().Count());
        Assert.All(first, id => Assert.True(Guid.TryParse(id, out _)));
    }

    [Fact]
    public async Task InstanceView_RunningReadyVm_HasReadyAgentMaintenanceAndOs()
    {
        var clock = new FakeTimeProvider(_now);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock });

        VirtualMachineInstanceView view = await Vm(emulator, "rg-rds", "win-ok").InstanceViewAsync();

        Assert.Equal("win-ok", view.ComputerName);
        Assert.Equal("Windows Server 2016 Datacenter", view.OSName);
        Assert.Equal("10.0.14393.2007", view.OSVersion);
        Assert.Equal("2.7.41491.1102", view.VmAgent.VmAgentVersion);
        var agent = Assert.Single(view.VmAgent.Statuses);
        Assert.Equal("ProvisioningState/succeeded", agent.Code);
        Assert.Equal(ComputeStatusLevelType.Info, agent.Level);
        Assert.Equal("Ready", agent.DisplayStatus);
        Assert.Equal("GuestAgent is running and processing the extensions.", agent.Message);
        Assert.Equal(_now, agent.Time);
        Assert.True(view.MaintenanceRedeployStatus.IsCustomerInitiatedMaintenanceAllowed);
        Assert.Equal(new DateTimeOffset(2030, 1, 9, 0, 0, 0, TimeSpan.Zero), view.MaintenanceRedeployStatus.MaintenanceWindowStartOn);
        Assert.Equal(new DateTimeOffset(2030, 1, 10, 0, 0, 0, TimeSpan.Zero), view.MaintenanceRedeployStatus.MaintenanceWindowEndOn);
        Assert.Null(view.MaintenanceRedeployStatus.PreMaintenanceWindowStartOn);
        Assert.Equal(["ProvisioningState/succeeded", "PowerState/running"], view.Statuses.Select(s => s.Code));
        Assert.Equal("VM running", view.Statuses[1].DisplayStatus);
    }

    [Fact]
    public async Task InstanceView_AgentNotReady_ReportsNotReadyAgentAndNoOs()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        VirtualMachineInstanceView view = await Vm(emulator, "rg-app", "win-notready").InstanceViewAsync();

        var agent = Assert.Single(view.VmAgent.Statuses);
        Assert.Equal("ProvisioningState/Unavailable", agent.Code);
        Assert.Equal(ComputeStatusLevelType.Warning, agent.Level);
        Assert.Equal("Not Ready", agent.DisplayStatus);
        Assert.Equal("VM status blob is found but not yet populated.", agent.Message);
        Assert.Null(view.OSName);
        Assert.Null(view.MaintenanceRedeployStatus);
    }

    [Theory]
    [InlineData("""{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2012 R2 Datacenter","version":"6.3.9600","ubr":null}}""", "6.3.9600")]
    [InlineData("""{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2012 R2 Datacenter","version":"6.3.9600","ubr":"x"}}""", "6.3.9600")]
    [InlineData("""{"schema":1,"os":"Windows","product":"not an object"}""", null)]
    [InlineData("""[1,2,3]""", null)]
    [InlineData("""{"schema":1,"os":"Windows","product":{"caption":7,"version":[]}}""", null)]
    public async Task InstanceView_OddGuestReport_StillServed(string guest, string? osVersion)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("odd", extra: $"\"guest\":{guest}")));

        VirtualMachineInstanceView view = await Vm(emulator, "rg", "odd").InstanceViewAsync();

        Assert.Equal(osVersion, view.OSVersion);
        Assert.Equal("Ready", view.VmAgent.Statuses[0].DisplayStatus);
    }

    [Fact]
    public async Task InstanceView_StoppedVm_HasNoAgent()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        VirtualMachineInstanceView view = await Vm(emulator, "rg-app", "win-stopped").InstanceViewAsync();

        Assert.Null(view.VmAgent);
        Assert.Equal("PowerState/stopped", view.Statuses[1].Code);
    }

    [Fact]
    public async Task Get_ExpandInstanceView_IncludesInstanceViewOnlyWhenAsked()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var resource = Vm(emulator, "RG-RDS", "WIN-OK");

        VirtualMachineResource expanded = await resource.GetAsync(InstanceViewType.InstanceView);
        VirtualMachineResource plain = await resource.GetAsync();

        Assert.Equal("win-ok", expanded.Data.Name);
        Assert.Equal("PowerState/running", expanded.Data.InstanceView.Statuses[1].Code);
        Assert.Equal("Ready", expanded.Data.InstanceView.VmAgent.Statuses[0].DisplayStatus);
        Assert.Null(plain.Data.InstanceView);
        Assert.Equal("true", plain.Data.Tags["compliance-untrusted-code"]);
    }

    [Fact]
    public async Task Get_UnknownVm_Returns404ResourceNotFound()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Vm(emulator, "rg", "x").GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.StartsWith("The Resource 'Microsoft.Compute/virtualMachines/x' under resource group 'rg' was not found.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_DefaultsFromFleet_ServesDefaultLocationSizeAndImage()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("plain", "Linux")));

        VirtualMachineResource vm = await Vm(emulator, "rg", "plain").GetAsync();

        Assert.Equal("westeurope", vm.Data.Location.Name);
        Assert.Equal(VirtualMachineSizeType.StandardD2SV3, vm.Data.HardwareProfile.VmSize);
        Assert.Equal("Canonical", vm.Data.StorageProfile.ImageReference.Publisher);
        Assert.Equal(SupportedOperatingSystemType.Linux, vm.Data.StorageProfile.OSDisk.OSType);
    }

    internal static SubscriptionResource Subscription(ArmEmulator emulator) =>
        ArmClientFactory.Create(emulator).GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(TestFleets.SubscriptionId));

    internal static VirtualMachineResource Vm(ArmEmulator emulator, string resourceGroup, string name, ArmClient? client = null) =>
        (client ?? ArmClientFactory.Create(emulator)).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, resourceGroup, name));

    private static async Task<List<VirtualMachineResource>> ListAsync(SubscriptionResource subscription, string? statusOnly = null)
    {
        var machines = new List<VirtualMachineResource>();
        await foreach (var vm in subscription.GetVirtualMachinesAsync(statusOnly: statusOnly))
        {
            machines.Add(vm);
        }

        return machines;
    }
}
