using System.Globalization;
using System.Security;

namespace Compliance.Emulator;

/// <summary>
/// Makes realistic fleets for demos and load tests: two subscriptions in two regions, Windows
/// and Linux, mostly compliant machines with a share of unpatched, untrusted-code, stopped,
/// unreachable and failing ones, some scale sets and Cloud Services.
/// </summary>
public static class FleetGenerator
{
    private const string UntrustedCodeTag = "compliance-untrusted-code";
    private static readonly string[] _locations = ["westeurope", "northeurope"];
    private static readonly string[] _windowsSizes = ["Standard_D2s_v3", "Standard_D4s_v3", "Standard_E4s_v3"];
    private static readonly string[] _linuxSizes = ["Standard_B2s", "Standard_D2s_v3", "Standard_F4s_v2"];

    private enum Profile
    {
        Compliant,
        Unpatched,
        UntrustedHost,
        UntrustedHostWithoutKvaShadow,
        Stopped,
        Deallocated,
        AgentNotReady,
        RunCommandConflict,
        RunCommandTimeout,
    }

    /// <summary>Generates a fleet; the same arguments always give the same fleet.</summary>
    /// <param name="machines">Virtual machines plus scale-set instances, 1 or more.</param>
    /// <param name="seed">Seed of the pseudo-random choices.</param>
    public static FleetDocument Generate(int machines, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(machines, 1);

        // Deterministic by design: System.Random with a seed replays the same sequence.
        var random = new Random(seed);
        var subscriptionIds = new[] { RandomGuid(random), RandomGuid(random) };
        var virtualMachines = new[] { new List<FleetVirtualMachine>(), new List<FleetVirtualMachine>() };
        var scaleSets = new[] { new List<FleetScaleSet>(), new List<FleetScaleSet>() };
        var cloudServices = new[] { new List<FleetCloudService>(), new List<FleetCloudService>() };

        var sizes = ScaleSetSizes(random, machines / 10);
        var vmCount = machines - sizes.Sum();
        for (var i = 1; i <= vmCount; i++)
        {
            var subscription = i % 3 == 0 ? 1 : 0;
            var group = ((i - 1) / 25) + 1;
            virtualMachines[subscription].Add(VirtualMachine(random, i, group, subscription));
        }

        for (var s = 0; s < sizes.Count; s++)
        {
            scaleSets[s % 2].Add(ScaleSet(random, s + 1, sizes[s], s % 2));
        }

        var serviceCount = Math.Max(2, machines / 200);
        for (var c = 1; c <= serviceCount; c++)
        {
            cloudServices[(c - 1) % 2].Add(CloudService(random, c));
        }

        string[] displayNames = ["production", "non-production"];
        var subscriptions = Enumerable.Range(0, 2).Select(s => new FleetSubscription
        {
            SubscriptionId = subscriptionIds[s],
            DisplayName = displayNames[s],
            VirtualMachines = virtualMachines[s],
            ScaleSets = scaleSets[s],
            CloudServices = cloudServices[s],
        }).ToList();
        return new FleetDocument { Subscriptions = subscriptions };
    }

    /// <summary>About a tenth of the machines, in scale sets of 4 to 10 instances.</summary>
    private static List<int> ScaleSetSizes(Random random, int instances)
    {
        var sizes = new List<int>();
        var remaining = instances < 4 ? 0 : instances;
        while (remaining > 0)
        {
            var size = remaining <= 10 ? remaining : random.Next(4, 11);
            if (remaining - size is > 0 and < 4)
            {
                size = remaining - 4;
            }

            sizes.Add(size);
            remaining -= size;
        }

        return sizes;
    }

    private static FleetVirtualMachine VirtualMachine(Random random, int number, int group, int subscription)
    {
        var osType = random.Next(100) < 55 ? FleetOsType.Windows : FleetOsType.Linux;
        var profile = DrawProfile(random);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["environment"] = subscription == 0 ? "production" : "test",
            ["owner"] = $"team-{random.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture)}",
        };
        var state = MachineState(random, osType, profile, tags);
        var sizes = osType == FleetOsType.Windows ? _windowsSizes : _linuxSizes;
        return new FleetVirtualMachine
        {
            Name = $"vm-{number.ToString("D5", CultureInfo.InvariantCulture)}",
            ResourceGroup = $"rg-app-{group.ToString("D2", CultureInfo.InvariantCulture)}",
            Location = _locations[group % 2],
            OsType = osType,
            VmSize = sizes[random.Next(sizes.Length)],
            Image = state.Image,
            PowerState = state.PowerState,
            AgentStatus = state.AgentStatus,
            Tags = tags,
            Maintenance = state.Maintenance,
            Guest = state.Guest,
            RunCommand = state.RunCommand,
        };
    }

    private static FleetScaleSet ScaleSet(Random random, int number, int size, int subscription)
    {
        var osType = random.Next(100) < 40 ? FleetOsType.Windows : FleetOsType.Linux;
        var instances = new List<FleetScaleSetInstance>();
        for (var i = 0; i < size; i++)
        {
            var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var state = MachineState(random, osType, DrawProfile(random), tags);
            instances.Add(new FleetScaleSetInstance
            {
                InstanceId = i.ToString(CultureInfo.InvariantCulture),
                OsType = osType,
                PowerState = state.PowerState,
                AgentStatus = state.AgentStatus,
                Tags = tags,
                Maintenance = state.Maintenance,
                Guest = state.Guest,
                RunCommand = state.RunCommand,
            });
        }

        var text = number.ToString("D2", CultureInfo.InvariantCulture);
        return new FleetScaleSet
        {
            Name = $"vmss-{text}",
            ResourceGroup = $"rg-web-{text}",
            Location = _locations[number % 2],
            OsType = osType,
            VmSize = "Standard_D2s_v3",
            Tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["environment"] = subscription == 0 ? "production" : "test",
            },
            Instances = instances,
        };
    }

    private static FleetCloudService CloudService(Random random, int number)
    {
        var catalogue = GuestOsCatalogue.BuiltIn;
        var families = catalogue.Select(v => v.Family).Distinct().ToList();
        var family = families[random.Next(families.Count)];
        var releases = catalogue.Where(v => v.Family == family).ToList();
        var pick = random.Next(10);
        var osVersion = pick == 0 ? "*" : pick < 6 ? releases[^1].Version : releases[random.Next(releases.Count)].Version;
        var web = random.Next(1, 5);
        var worker = random.Next(3);
        var name = $"cs-legacy-{number.ToString("D2", CultureInfo.InvariantCulture)}";
        var roles = $"<Role name=\"Web\"><Instances count=\"{web}\" /></Role>"
            + (worker > 0 ? $"<Role name=\"Worker\"><Instances count=\"{worker}\" /></Role>" : "");
        return new FleetCloudService
        {
            Name = name,
            ResourceGroup = $"rg-legacy-{number.ToString("D2", CultureInfo.InvariantCulture)}",
            Location = _locations[number % 2],
            Configuration = $"<ServiceConfiguration serviceName=\"{SecurityElement.Escape(name)}\" osFamily=\"{family}\" osVersion=\"{osVersion}\" schemaVersion=\"2015-04.2.6\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\">{roles}</ServiceConfiguration>",
        };
    }

    private static Profile DrawProfile(Random random)
    {
        var roll = random.Next(1000);
        return roll switch
        {
            < 80 => Profile.Unpatched,
            < 105 => Profile.UntrustedHost,
            < 130 => Profile.UntrustedHostWithoutKvaShadow,
            < 155 => Profile.Stopped,
            < 180 => Profile.Deallocated,
            < 200 => Profile.AgentNotReady,
            < 205 => Profile.RunCommandConflict,
            < 210 => Profile.RunCommandTimeout,
            _ => Profile.Compliant,
        };
    }

    private static GeneratedState MachineState(Random random, FleetOsType osType, Profile profile, Dictionary<string, string> tags)
    {
        var untrusted = profile is Profile.UntrustedHost or Profile.UntrustedHostWithoutKvaShadow;
        var byTag = untrusted && (osType == FleetOsType.Linux || random.Next(3) == 0);
        if (byTag)
        {
            tags[UntrustedCodeTag] = "true";
        }

        var (guest, image) = osType == FleetOsType.Windows
            ? GuestReports.Windows(random, patched: profile != Profile.Unpatched, kvaShadowEnabled: profile != Profile.UntrustedHostWithoutKvaShadow, untrustedFeature: untrusted && !byTag)
            : GuestReports.Linux(random, patched: profile != Profile.Unpatched);
        FleetMaintenance? maintenance = null;
        if (random.Next(100) < 3)
        {
            var start = new DateTimeOffset(2030, 1, 5, 0, 0, 0, TimeSpan.Zero).AddDays(random.Next(20));
            maintenance = new FleetMaintenance
            {
                IsCustomerInitiatedMaintenanceAllowed = true,
                PreMaintenanceWindowStartTime = start.AddDays(-7),
                PreMaintenanceWindowEndTime = start,
                MaintenanceWindowStartTime = start,
                MaintenanceWindowEndTime = start.AddDays(1),
                LastOperationResultCode = "None",
            };
        }

        return new GeneratedState(
            profile switch
            {
                Profile.Stopped => FleetPowerState.Stopped,
                Profile.Deallocated => FleetPowerState.Deallocated,
                _ => FleetPowerState.Running,
            },
            profile == Profile.AgentNotReady ? FleetAgentStatus.NotReady : FleetAgentStatus.Ready,
            maintenance,
            guest,
            image,
            profile switch
            {
                Profile.RunCommandConflict => new FleetRunCommand { Failure = FleetRunCommandFailure.Conflict },
                Profile.RunCommandTimeout => new FleetRunCommand { LatencyMs = 1000, Failure = FleetRunCommandFailure.Timeout },
                _ => null,
            });
    }

    private static string RandomGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes).ToString("D");
    }

    private sealed record GeneratedState(
        FleetPowerState PowerState,
        FleetAgentStatus AgentStatus,
        FleetMaintenance? Maintenance,
        System.Text.Json.JsonElement Guest,
        FleetImage Image,
        FleetRunCommand? RunCommand);
}
