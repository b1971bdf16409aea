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
            && kva.TryGetProperty("flags", out var flags) && (flags.GetInt32() & 0x31) == 0x30);
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

    [Fact]
    public void Generate_TenThousandOverThreeSubscriptionsAndTwoRegions_SpreadsEveryKindEvenly()
    {
        var options = new FleetGeneratorOptions { Machines = 10_000, Seed = 1, Subscriptions = 3, Regions = ["westeurope", "northeurope"] };

        var fleet = FleetGenerator.Generate(options);

        Assert.Equal(3, fleet.Subscriptions.Count);
        Assert.Equal(["production", "non-production", "subscription-03"], fleet.Subscriptions.Select(s => s.DisplayName));
        Assert.Equal(3, fleet.Subscriptions.Select(s => s.SubscriptionId).Distinct().Count());
        var vms = fleet.Subscriptions.SelectMany(s => s.VirtualMachines).ToList();
        var scaleSets = fleet.Subscriptions.SelectMany(s => s.ScaleSets).ToList();
        var instances = scaleSets.Sum(ss => ss.Instances.Count);
        Assert.Equal(10_000, vms.Count + instances);
        Assert.Equal(500, instances);
        Assert.All(scaleSets, ss => Assert.InRange(ss.Instances.Count, 4, 10));
        Assert.Equal(50, fleet.Subscriptions.Sum(s => s.CloudServices.Count));

        // 380 groups of 25 VMs go round robin to the subscriptions, then round the regions within each.
        foreach (var subscription in fleet.Subscriptions)
        {
            Assert.InRange(subscription.VirtualMachines.Count, 3150, 3175);
            foreach (var region in options.Regions)
            {
                Assert.InRange(subscription.VirtualMachines.Count(vm => vm.Location == region), 1575, 1600);
            }

            Assert.InRange(subscription.ScaleSets.Count, 20, 40);
            Assert.InRange(subscription.CloudServices.Count, 16, 17);
        }

        Assert.All(vms.GroupBy(vm => vm.ResourceGroup), group =>
        {
            Assert.Single(group.Select(vm => vm.Location).Distinct());
            Assert.Equal(25, group.Count());
        });
        Assert.Equal(
            ["northeurope", "westeurope"],
            vms.Select(vm => vm.Location).Concat(scaleSets.Select(ss => ss.Location)).Concat(fleet.Subscriptions.SelectMany(s => s.CloudServices).Select(cs => cs.Location)).Distinct().Order());
    }

    [Fact]
    public void Generate_TenThousandWithDefaultMix_HasTheMixsShares()
    {
        var machines = Machines(FleetGenerator.Generate(new FleetGeneratorOptions { Machines = 10_000, Seed = 2 }));

        // Binomial counts: the expectations are 10,000 times the shares; the bounds are about four standard deviations.
        Assert.InRange(machines.Count(m => m.OsType == FleetOsType.Windows), 5300, 5700);
        Assert.InRange(machines.Count(m => IsUnpatched(m.Guest)), 680, 920);
        Assert.InRange(machines.Count(m => m.Tags.ContainsKey("compliance-untrusted-code") || HasUntrustedFeature(m.Guest)), 400, 600);
        Assert.InRange(machines.Count(m => m.PowerState == FleetPowerState.Stopped), 190, 310);
        Assert.InRange(machines.Count(m => m.PowerState == FleetPowerState.Deallocated), 190, 310);
        Assert.InRange(machines.Count(m => m.AgentStatus == FleetAgentStatus.NotReady), 145, 255);
        Assert.InRange(machines.Count(m => m.RunCommand?.Failure == FleetRunCommandFailure.Conflict), 20, 80);
        Assert.InRange(machines.Count(m => m.RunCommand?.Failure == FleetRunCommandFailure.Timeout), 20, 80);

        // Timeouts take the emulator's default latency, like the machines that succeed.
        Assert.All(machines.Where(m => m.RunCommand is not null), m => Assert.Equal(0, m.RunCommand?.LatencyMs));
        Assert.All(machines, m => Assert.NotNull(m.Guest));
    }

    [Fact]
    public void Generate_MixOfNothingButCompliantVms_GivesOnlyRunningPatchedVms()
    {
        var mix = new FleetMix { Unpatched = 0, Untrusted = 0, UntrustedWithoutKvaShadow = 0, Stopped = 0, Deallocated = 0, AgentNotReady = 0, RunCommandFailures = 0, ScaleSetInstances = 0, CloudServicesPerMachine = 0, Windows = 1 };

        var fleet = FleetGenerator.Generate(new FleetGeneratorOptions { Machines = 300, Subscriptions = 1, Regions = ["eastus"], Mix = mix });

        var machines = Machines(fleet);
        Assert.Equal(300, machines.Count);
        Assert.Empty(fleet.Subscriptions.Single().ScaleSets);
        Assert.Empty(fleet.Subscriptions.Single().CloudServices);
        Assert.All(machines, m =>
        {
            Assert.Equal((FleetOsType.Windows, FleetPowerState.Running, FleetAgentStatus.Ready), (m.OsType, m.PowerState, m.AgentStatus));
            Assert.False(IsUnpatched(m.Guest));
            Assert.Null(m.RunCommand);
        });
        Assert.All(fleet.Subscriptions.Single().VirtualMachines, vm => Assert.Equal("eastus", vm.Location));
    }

    [Fact]
    public void Generate_SameOptions_GivesIdenticalJsonAndOtherSeedDiffers()
    {
        static FleetGeneratorOptions Options(int seed) => new() { Machines = 2000, Seed = seed, Subscriptions = 4, Regions = ["westeurope", "northeurope", "eastus"] };

        var json = FleetGenerator.Generate(Options(9)).ToJson();

        Assert.Equal(json, FleetGenerator.Generate(Options(9)).ToJson());
        Assert.NotEqual(json, FleetGenerator.Generate(Options(10)).ToJson());
        Assert.Equal(json, FleetDocument.Parse(json).ToJson());
    }

    [Fact]
    public async Task Generate_TenThousandMachines_EmulatorStartsAndServesThemUnderThrottling()
    {
        var fleet = FleetGenerator.Generate(new FleetGeneratorOptions { Machines = 10_000, Seed = 4 });
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions { Limits = new RateLimitOptions() });
        var client = ArmClientFactory.Create(emulator);
        var subscription = fleet.Subscriptions[1];
        var resource = client.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(subscription.SubscriptionId));

        var listed = 0;
        await foreach (var vm in resource.GetVirtualMachinesAsync(statusOnly: "true"))
        {
            listed++;
        }

        var last = subscription.VirtualMachines[^1];
        VirtualMachineResource fetched = await client.GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(subscription.SubscriptionId, last.ResourceGroup, last.Name)).GetAsync();

        Assert.Equal(subscription.VirtualMachines.Count, listed);
        Assert.Equal(last.Location, fetched.Data.Location.Name);
        Assert.Equal(0, emulator.Throttled);
    }

    [Theory]
    [InlineData(0, 2, 25, "westeurope")]
    [InlineData(10, 0, 25, "westeurope")]
    [InlineData(10, 2, 0, "westeurope")]
    [InlineData(10, 2, 25, "")]
    [InlineData(10, 2, 25, "west europe")]
    [InlineData(10, 2, 25, "westeurope,WestEurope")]
    public void Generate_InvalidOptions_ThrowsArgumentException(int machines, int subscriptions, int perGroup, string regions)
    {
        var options = new FleetGeneratorOptions { Machines = machines, Subscriptions = subscriptions, MachinesPerResourceGroup = perGroup, Regions = regions.Split(',') };

        Assert.ThrowsAny<ArgumentException>(() => FleetGenerator.Generate(options));
    }

    [Fact]
    public void Generate_StateSharesAboveOne_ThrowsArgumentException()
    {
        var options = new FleetGeneratorOptions { Mix = new FleetMix { Unpatched = 0.6, Stopped = 0.5 } };

        var error = Assert.Throws<ArgumentException>(() => FleetGenerator.Generate(options));

        Assert.Contains("more than 1", error.Message, StringComparison.Ordinal);
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
