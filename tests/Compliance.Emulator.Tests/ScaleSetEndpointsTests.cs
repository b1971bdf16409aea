using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;

namespace Compliance.Emulator.Tests;

public sealed class ScaleSetEndpointsTests
{
    [Fact]
    public async Task ListScaleSets_Subscription_ReturnsScaleSetWithSkuAndOsType()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var scaleSets = new List<VirtualMachineScaleSetResource>();
        await foreach (var scaleSet in VirtualMachineEndpointsTests.Subscription(emulator).GetVirtualMachineScaleSetsAsync())
        {
            scaleSets.Add(scaleSet);
        }

        var data = Assert.Single(scaleSets).Data;
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss", data.Id.ToString());
        Assert.Equal("Standard_D2s_v3", data.Sku.Name);
        Assert.Equal("Standard", data.Sku.Tier);
        Assert.Equal(3, data.Sku.Capacity);
        Assert.Equal(VirtualMachineScaleSetUpgradeMode.Manual, data.UpgradePolicy.Mode);
        Assert.Equal(SupportedOperatingSystemType.Linux, data.VirtualMachineProfile.StorageProfile.OSDisk.OSType);
        Assert.Equal("web", data.Tags["owner"]);
        Assert.True(Guid.TryParse(data.UniqueId, out _));
    }

    [Fact]
    public async Task ListInstances_ExpandInstanceView_MergesTagsAndDefaultsOsType()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var instances = new List<VirtualMachineScaleSetVmResource>();
        await foreach (var instance in ScaleSet(emulator).GetVirtualMachineScaleSetVms().GetAllAsync(expand: "instanceView"))
        {
            instances.Add(instance);
        }

        Assert.Equal(["0", "1", "7"], instances.Select(i => i.Data.InstanceId));
        Assert.Equal(["web-vmss_0", "web-vmss_1", "web-vmss_7"], instances.Select(i => i.Data.Name));
        var first = instances[0].Data;
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0", first.Id.ToString());
        Assert.Equal("team-7", first.Tags["owner"]);
        Assert.Equal("production", first.Tags["environment"]);
        Assert.Equal("web", instances[2].Data.Tags["owner"]);
        Assert.Equal(SupportedOperatingSystemType.Linux, first.StorageProfile.OSDisk.OSType);
        Assert.Equal(SupportedOperatingSystemType.Windows, instances[1].Data.StorageProfile.OSDisk.OSType);
        Assert.Equal(SupportedOperatingSystemType.Linux, instances[2].Data.StorageProfile.OSDisk.OSType);
        Assert.True(first.LatestModelApplied);
        Assert.Equal("web-vmss000000", first.OSProfile.ComputerName);
        Assert.Equal(["ProvisioningState/succeeded", "PowerState/running"], first.InstanceView.Statuses.Select(s => s.Code));
        Assert.Equal("Ready", first.InstanceView.VmAgent.Statuses[0].DisplayStatus);
        Assert.Equal("ubuntu", first.InstanceView.OSName);
        Assert.Equal("PowerState/deallocated", instances[1].Data.InstanceView.Statuses[1].Code);
        Assert.Null(instances[1].Data.InstanceView.VmAgent);
        Assert.Equal("Not Ready", instances[2].Data.InstanceView.VmAgent.Statuses[0].DisplayStatus);
    }

    [Fact]
    public async Task ListInstances_WithoutExpand_HasNoInstanceView()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var instances = new List<VirtualMachineScaleSetVmResource>();
        await foreach (var instance in ScaleSet(emulator).GetVirtualMachineScaleSetVms().GetAllAsync())
        {
            instances.Add(instance);
        }

        Assert.Equal(3, instances.Count);
        Assert.All(instances, i => Assert.Null(i.Data.InstanceView));
    }

    [Fact]
    public async Task GetInstance_ExpandInstanceView_IncludesViewAndMergedTags()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        VirtualMachineScaleSetVmResource expanded = await Instance(emulator, "0").GetAsync(InstanceViewType.InstanceView);
        VirtualMachineScaleSetVmResource plain = await Instance(emulator, "0").GetAsync();

        Assert.Equal("web-vmss_0", expanded.Data.Name);
        Assert.Equal("PowerState/running", expanded.Data.InstanceView.Statuses[1].Code);
        Assert.Equal("2.7.41491.1102", expanded.Data.InstanceView.VmAgent.VmAgentVersion);
        Assert.Null(plain.Data.InstanceView);
        Assert.Equal("team-7", plain.Data.Tags["owner"]);
        Assert.Equal("production", plain.Data.Tags["environment"]);
    }

    [Fact]
    public async Task GetInstanceView_NotReadyInstance_ReportsNotReadyAgent()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        VirtualMachineScaleSetVmInstanceView view = await Instance(emulator, "7").GetInstanceViewAsync();

        Assert.Equal("ProvisioningState/Unavailable", view.VmAgent.Statuses[0].Code);
        Assert.Equal("PowerState/running", view.Statuses[1].Code);
    }

    [Fact]
    public async Task GetInstance_UnknownInstance_Returns404ResourceNotFound()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => Instance(emulator, "42").GetAsync());

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task RunCommand_OnInstance_AcceptsLowerCaseRouteAndReturnsLinuxShape()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var operation = await Instance(emulator, "0").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript") { Script = { "cat /etc/os-release" } });

        var status = Assert.Single(operation.Value.Value);
        Assert.Equal($"Enable succeeded: \n[stdout]\n{TestFleets.LinuxGuest}\n\n[stderr]\n", status.Message);
        var post = Assert.Single(emulator.Requests, r => r.Method == "POST");
        Assert.Contains("/virtualMachineScaleSets/web-vmss/virtualmachines/0/runCommand?", post.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(202, post.StatusCode);
        var recorded = Assert.Single(emulator.RunCommands);
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0", recorded.ResourceId);
        Assert.Equal(["cat /etc/os-release"], recorded.Script);
    }

    [Fact]
    public async Task RunCommand_OnDeallocatedInstance_Returns409OperationNotAllowed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Instance(emulator, "1").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(409, error.Status);
        Assert.Equal("OperationNotAllowed", error.ErrorCode);
        Assert.StartsWith("Operation 'RunCommand' is not allowed on VM 'web-vmss_1' since the VM is not running.", error.Message, StringComparison.Ordinal);
    }

    private static VirtualMachineScaleSetResource ScaleSet(ArmEmulator emulator) =>
        ArmClientFactory.Create(emulator).GetVirtualMachineScaleSetResource(
            VirtualMachineScaleSetResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-web", "web-vmss"));

    private static VirtualMachineScaleSetVmResource Instance(ArmEmulator emulator, string instanceId) =>
        ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineScaleSetVmResource(
            VirtualMachineScaleSetVmResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-web", "web-vmss", instanceId));
}
