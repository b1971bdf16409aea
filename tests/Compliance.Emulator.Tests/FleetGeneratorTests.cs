using System.Text.Json;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Resources;

namespace Compliance.Emulator.Tests;

public sealed class FleetGeneratorTests
{
    [Fact]
    public void Generate_SameArguments_GivesIdenticalJson()
    {
        Assert.Equal(FleetGenerator.Generate(300, 42).ToJson(), FleetGenerator.Generate(300, 42).ToJson());
    }

    [Fact]
    public void Generate_DifferentSeed_GivesDifferentJson()
    {
        Assert.NotEqual(FleetGenerator.Generate(300, 42).ToJson(), FleetGenerator.Generate(300, 43).ToJson());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(40)]
    [InlineData(401)]
    [InlineData(1000)]
    public void Generate_AnyCount_HasExactlyThatManyMachinesInTwoSubscriptions(int machines)
    {
        var fleet = FleetGenerator.Generate(machines, 7);

        var vms = fleet.Subscriptions.Sum(s => s.VirtualMachines.Count);
        var scaleSets = fleet.Subscriptions.SelectMany(s => s.ScaleSets).ToList();
        Assert.Equal(2, fleet.Subscriptions.Count);
        Assert.Equal(machines, vms + scaleSets.Sum(ss => ss.Instances.Count));
        Assert.All(scaleSets, ss => Assert.InRange(ss.Instances.Count, 4, 10));
        Assert.Equal(machines >= 40 ? machines / 10 : 0, scaleSets.Sum(ss => ss.Instances.Count));
        Assert.Equal(Math.Max(2, machines / 200), fleet.Subscriptions.Sum(s => s.CloudServices.Count));
    }

    [Fact]
    public void Generate_ZeroMachines_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FleetGenerator.Generate(0, 1));
    }

    [Fact]
    public void Generate_Output_ParsesAsValidFleetWithMatchingGuestReports()
    {
        var fleet = FleetDocument.Parse(FleetGenerator.Generate(500, 3).ToJson());

        var machines = Machines(fleet);
        Assert.All(machines, m =>
        {
            var guest = Assert.NotNull(m.Guest);
            Assert.Equal(1, guest.GetProperty("schema").GetInt32());
            Assert.Equal(m.OsType.ToString(), guest.GetProperty("os").GetString());
        });
        Assert.Equal(["northeurope", "westeurope"], fleet.Subscriptions.SelectMany(s => s.VirtualMachines).Select(vm => vm.Location).Distinct().Order());
        Assert.Matches("^vm-[0-9]{5}$", fleet.Subscriptions[0].VirtualMachines[0].Name);
        Assert.Matches("^rg-app-[0-9]{2}$", fleet.Subscriptions[0].VirtualMachines[0].ResourceGroup);
        Assert.All(fleet.Subscriptions.SelectMany(s => s.CloudServices), cs => Assert.NotEmpty(CloudServiceRoles(cs)));
    }

    [Fact]
    public void Generate_ThousandMachines_HasARealisticMixOfStates()
    {
        var machines = Machines(FleetGenerator.Generate(1000, 11));

        var windows = machines.Count(m => m.OsType == FleetOsType.Windows);
        var unpatched = machines.Count(m => IsUnpatched(m.Guest));
        var untrusted = machines.Count(m => m.Tags.ContainsKey("compliance-untrusted-code") || HasUntrustedFeature(m.Guest));
        var withoutKvaShadow = machines.Count(m => m.Guest?.TryGetProperty("kvaShadow", out var kva) == true
            && kva.TryGetProperty("flags", out var flags) && flags.GetInt32() == 0x30);
        var notRunning = machines.Count(m => m.PowerState is FleetPowerState.Stopped or FleetPowerState.Deallocated);
        var notReady = machines.Count(m => m.AgentStatus == FleetAgentStatus.NotReady);
        var failing = machines.Where(m => m.RunCommand?.Failure is not null).Select(m => m.RunCommand?.Failure).ToList();

        Assert.InRange(windows, 400, 650);
        Assert.InRange(unpatched, 40, 130);
        Assert.InRange(untrusted, 25, 80);
        Assert.InRange(withoutKvaShadow, 3, 40);
        Assert.InRange(notRunning, 25, 80);
        Assert.InRange(notReady, 5, 40);
        Assert.InRange(failing.Count, 2, 25);
        Assert.Contains(FleetRunCommandFailure.Conflict, failing);
        Assert.Contains(FleetRunCommandFailure.Timeout, failing);
        Assert.InRange(machines.Count(m => m.Maintenance is not null), 5, 60);
    }

    [Fact]
    public async Task Generate_ServedByEmulator_ListsEveryVirtualMachineThroughSdk()
    {
        var fleet = FleetGenerator.Generate(120, 5);
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions { PageSize = 25 });
        var client = ArmClientFactory.Create(emulator);

        var listed = 0;
        foreach (var subscription in fleet.Subscriptions)
        {
            var resource = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscription.SubscriptionId));
            await foreach (var vm in resource.GetVirtualMachinesAsync(statusOnly: "true"))
            {
                Assert.StartsWith("PowerState/", vm.Data.InstanceView.Statuses[1].Code, StringComparison.Ordinal);
                listed++;
            }
        }

        Assert.Equal(fleet.Subscriptions.Sum(s => s.VirtualMachines.Count), listed);
    }

    private static List<(FleetOsType OsType, FleetPowerState PowerState, FleetAgentStatus AgentStatus, IReadOnlyDictionary<string, string> Tags, JsonElement? Guest, FleetRunCommand? RunCommand, FleetMaintenance? Maintenance)> Machines(FleetDocument fleet) =>
        fleet.Subscriptions.SelectMany(s =>
            s.VirtualMachines.Select(vm => (vm.OsType, vm.PowerState, vm.AgentStatus, vm.Tags, vm.Guest, vm.RunCommand, vm.Maintenance))
                .Concat(s.ScaleSets.SelectMany(ss => ss.Instances.Select(i => (i.OsType, i.PowerState, i.AgentStatus, i.Tags, i.Guest, i.RunCommand, i.Maintenance)))))
            .ToList();

    private static bool IsUnpatched(JsonElement? guest)
    {
        if (guest is not { } report)
        {
            return false;
        }

        if (report.GetProperty("os").GetString() == "Windows")
        {
            return report.GetProperty("speculationControl").GetProperty("status").GetString() != "ok";
        }

        var vulnerabilities = report.GetProperty("vulnerabilities");
        return vulnerabilities.ValueKind == JsonValueKind.Null || vulnerabilities.GetProperty("meltdown").GetString() == "Vulnerable";
    }

    private static bool HasUntrustedFeature(JsonElement? guest) =>
        guest is { } report && report.TryGetProperty("features", out var features)
        && features.EnumerateArray().Any(f => f.GetString() is "RDS-RD-Server" or "Hyper-V" or "Containers");

    private static IEnumerable<string> CloudServiceRoles(FleetCloudService service) =>
        System.Xml.Linq.XDocument.Parse(service.Configuration).Descendants().Where(e => e.Name.LocalName == "Role").Select(e => (string?)e.Attribute("name") ?? "");
}
