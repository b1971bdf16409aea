using System.Globalization;
using System.Security;

namespace Compliance.Emulator;

/// <summary>
/// Makes realistic fleets for demos, load tests and benchmarks: Windows and Linux, mostly compliant machines with a
/// share of unpatched, untrusted-code, stopped, unreachable and failing ones, some scale sets and Cloud Services,
/// spread over subscriptions and regions. The same arguments always give the same fleet.
/// </summary>
public static class FleetGenerator
{
    private const string UntrustedCodeTag = "compliance-untrusted-code";

    // The two-argument overload's mix, kept so that its seeds replay the fleets they always made.
    private static readonly ProfileTable _legacyProfiles = new(1000, [80, 105, 130, 155, 180, 200, 205, 210]);
    private static readonly Share _legacyWindowsVms = new(100, 55);
    private static readonly Share _legacyWindowsScaleSets = new(100, 40);
    private const int LegacyTimeoutLatencyMs = 1000;

    private static readonly string[] _locations = ["westeurope", "northeurope"];
    private static readonly string[] _windowsSizes = ["Standard_D2s_v3", "Standard_D4s_v3", "Standard_E4s_v3"];
    private static readonly string[] _linuxSizes = ["Standard_B2s", "Standard_D2s_v3", "Standard_F4s_v2"];
    private static readonly string[] _displayNames = ["production", "non-production"];
    private static readonly char[] _forbiddenRegionCharacters = ['/', '\\', '?', '#', '%'];

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

    /// <summary>
    /// Generates a fleet of two subscriptions in two regions, about a tenth of the machines in scale sets; the same
    /// arguments always give the same fleet.
    /// </summary>
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
            virtualMachines[subscription].Add(VirtualMachine(random, i, group, subscription, _locations[group % 2], _legacyWindowsVms, _legacyProfiles, LegacyTimeoutLatencyMs));
        }

        for (var s = 0; s < sizes.Count; s++)
        {
            scaleSets[s % 2].Add(ScaleSet(random, s + 1, sizes[s], s % 2, _locations[(s + 1) % 2], _legacyWindowsScaleSets, _legacyProfiles, LegacyTimeoutLatencyMs));
        }

        var serviceCount = Math.Max(2, machines / 200);
        for (var c = 1; c <= serviceCount; c++)
        {
            cloudServices[(c - 1) % 2].Add(CloudService(random, c, _locations[c % 2]));
        }

        return Document(subscriptionIds, virtualMachines, scaleSets, cloudServices);
    }

    /// <summary>
    /// Generates a fleet of any size over any number of subscriptions and regions, in the mix the options give;
    /// the same options always give the same fleet. Resource groups of <see cref="FleetGeneratorOptions.MachinesPerResourceGroup"/>
    /// VMs go round robin to the subscriptions and, within each, evenly to the regions; scale sets and Cloud Services
    /// likewise. Machines whose Run Command times out have no latency of their own, so they take the emulator's
    /// <see cref="ArmEmulatorOptions.RunCommandLatency"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A count is below 1, a share is outside 0 to 1, the state shares add up to more than 1, or a region name is empty, repeated or not a valid ARM name.</exception>
    public static FleetDocument Generate(FleetGeneratorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        var mix = options.Mix;
        var regions = options.Regions;
        var subscriptionCount = options.Subscriptions;
        var windows = new Share(10_000, (int)Math.Round(mix.Windows * 10_000));
        var profiles = ProfileTable.From(mix);

        var random = new Random(options.Seed);
        var subscriptionIds = new string[subscriptionCount];
        var virtualMachines = new List<FleetVirtualMachine>[subscriptionCount];
        var scaleSets = new List<FleetScaleSet>[subscriptionCount];
        var cloudServices = new List<FleetCloudService>[subscriptionCount];
        for (var s = 0; s < subscriptionCount; s++)
        {
            subscriptionIds[s] = RandomGuid(random);
            virtualMachines[s] = [];
            scaleSets[s] = [];
            cloudServices[s] = [];
        }

        var sizes = ScaleSetSizes(random, (int)Math.Round(options.Machines * mix.ScaleSetInstances));
        var vmCount = options.Machines - sizes.Sum();
        for (var i = 1; i <= vmCount; i++)
        {
            var group = (i - 1) / options.MachinesPerResourceGroup;
            var (subscription, location) = Place(group, subscriptionCount, regions);
            virtualMachines[subscription].Add(VirtualMachine(random, i, group + 1, subscription, location, windows, profiles, timeoutLatencyMs: 0));
        }

        for (var s = 0; s < sizes.Count; s++)
        {
            var (subscription, location) = Place(s, subscriptionCount, regions);
            scaleSets[subscription].Add(ScaleSet(random, s + 1, sizes[s], subscription, location, windows, profiles, timeoutLatencyMs: 0));
        }

        var serviceCount = (int)Math.Round(options.Machines * mix.CloudServicesPerMachine);
        for (var c = 0; c < serviceCount; c++)
        {
            var (subscription, location) = Place(c, subscriptionCount, regions);
            cloudServices[subscription].Add(CloudService(random, c + 1, location));
        }

        return Document(subscriptionIds, virtualMachines, scaleSets, cloudServices);
    }

    /// <summary>The n-th resource group (scale set, Cloud Service) goes to subscription n mod S, and round the regions within it.</summary>
    private static (int Subscription, string Location) Place(int index, int subscriptions, IReadOnlyList<string> regions) =>
        (index % subscriptions, regions[index / subscriptions % regions.Count]);

    private static FleetDocument Document(string[] subscriptionIds, List<FleetVirtualMachine>[] virtualMachines, List<FleetScaleSet>[] scaleSets, List<FleetCloudService>[] cloudServices)
    {
        var subscriptions = new List<FleetSubscription>(subscriptionIds.Length);
        for (var s = 0; s < subscriptionIds.Length; s++)
        {
            subscriptions.Add(new FleetSubscription
            {
                SubscriptionId = subscriptionIds[s],
                DisplayName = s < _displayNames.Length ? _displayNames[s] : $"subscription-{(s + 1).ToString("D2", CultureInfo.InvariantCulture)}",
                VirtualMachines = virtualMachines[s],
                ScaleSets = scaleSets[s],
                CloudServices = cloudServices[s],
            });
        }

        return new FleetDocument { Subscriptions = subscriptions };
    }

    private static void Validate(FleetGeneratorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Machines, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Subscriptions, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MachinesPerResourceGroup, 1, nameof(options));
        ArgumentNullException.ThrowIfNull(options.Mix, nameof(options));
        if (options.Regions is not { Count: > 0 } regions)
        {
            throw new ArgumentException("At least one region is needed.", nameof(options));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var region in regions)
        {
            if (string.IsNullOrEmpty(region) || region.IndexOfAny(_forbiddenRegionCharacters) >= 0 || region.Any(char.IsWhiteSpace) || !seen.Add(region))
            {
                throw new ArgumentException($"The region '{region}' is empty, repeated, or not a valid ARM location name.", nameof(options));
            }
        }

        var mix = options.Mix;
        double[] shares = [mix.Windows, mix.ScaleSetInstances, mix.Unpatched, mix.Untrusted, mix.UntrustedWithoutKvaShadow, mix.Stopped, mix.Deallocated, mix.AgentNotReady, mix.RunCommandFailures];
        if (shares.Any(share => share is not (>= 0 and <= 1)) || mix.CloudServicesPerMachine is not (>= 0 and <= 1))
        {
            throw new ArgumentException("Every share of the mix must be between 0 and 1.", nameof(options));
        }

        if (shares[2..].Sum() > 1 + 1e-9)
        {
            throw new ArgumentException($"The state shares of the mix add up to {shares[2..].Sum()}, more than 1.", nameof(options));
        }
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

    private static FleetVirtualMachine VirtualMachine(Random random, int number, int group, int subscription, string location, Share windows, ProfileTable profiles, int timeoutLatencyMs)
    {
        var osType = windows.Draw(random) ? FleetOsType.Windows : FleetOsType.Linux;
        var profile = profiles.Draw(random);
        var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["environment"] = subscription == 0 ? "production" : "test",
            ["owner"] = $"team-{random.Next(1, 13).ToString("D2", CultureInfo.InvariantCulture)}",
        };
        var state = MachineState(random, osType, profile, tags, timeoutLatencyMs);
        var sizes = osType == FleetOsType.Windows ? _windowsSizes : _linuxSizes;
        return new FleetVirtualMachine
        {
            Name = $"vm-{number.ToString("D5", CultureInfo.InvariantCulture)}",
            ResourceGroup = $"rg-app-{group.ToString("D2", CultureInfo.InvariantCulture)}",
            Location = location,
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

    private static FleetScaleSet ScaleSet(Random random, int number, int size, int subscription, string location, Share windows, ProfileTable profiles, int timeoutLatencyMs)
    {
        var osType = windows.Draw(random) ? FleetOsType.Windows : FleetOsType.Linux;
        var instances = new List<FleetScaleSetInstance>();
        for (var i = 0; i < size; i++)
        {
            var tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var state = MachineState(random, osType, profiles.Draw(random), tags, timeoutLatencyMs);
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
            Location = location,
            OsType = osType,
            VmSize = "Standard_D2s_v3",
            Tags = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["environment"] = subscription == 0 ? "production" : "test",
            },
            Instances = instances,
        };
    }

    private static FleetCloudService CloudService(Random random, int number, string location)
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
            Location = location,
            Configuration = $"<ServiceConfiguration serviceName=\"{SecurityElement.Escape(name)}\" osFamily=\"{family}\" osVersion=\"{osVersion}\" schemaVersion=\"2015-04.2.6\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\">{roles}</ServiceConfiguration>",
        };
    }

    private static GeneratedState MachineState(Random random, FleetOsType osType, Profile profile, Dictionary<string, string> tags, int timeoutLatencyMs)
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
                Profile.RunCommandTimeout => new FleetRunCommand { LatencyMs = timeoutLatencyMs, Failure = FleetRunCommandFailure.Timeout },
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

    /// <summary>A yes/no draw: <c>random.Next(Resolution) &lt; Threshold</c>.</summary>
    private readonly record struct Share(int Resolution, int Threshold)
    {
        public bool Draw(Random random) => random.Next(Resolution) < Threshold;
    }

    /// <summary>
    /// The profile of a machine from one draw of <c>random.Next(Resolution)</c>: below the n-th cumulative threshold
    /// is the n-th profile after <see cref="Profile.Compliant"/>; at or above the last is compliant.
    /// </summary>
    private sealed class ProfileTable(int resolution, int[] thresholds)
    {
        private const int Resolution = 1_000_000;

        public static ProfileTable From(FleetMix mix)
        {
            double[] shares = [mix.Unpatched, mix.Untrusted, mix.UntrustedWithoutKvaShadow, mix.Stopped, mix.Deallocated, mix.AgentNotReady, mix.RunCommandFailures / 2, mix.RunCommandFailures / 2];
            var thresholds = new int[shares.Length];
            var sum = 0.0;
            for (var i = 0; i < shares.Length; i++)
            {
                sum += shares[i];
                thresholds[i] = (int)Math.Min(Resolution, Math.Round(sum * Resolution));
            }

            return new ProfileTable(Resolution, thresholds);
        }

        public Profile Draw(Random random)
        {
            var roll = random.Next(resolution);
            for (var i = 0; i < thresholds.Length; i++)
            {
                if (roll < thresholds[i])
                {
                    return (Profile)(i + 1);
                }
            }

            return Profile.Compliant;
        }
    }
}
