using System.Text.Json.Nodes;

namespace Compliance.Testing;

/// <summary>Fleet files for the ARM emulator, built from machines whose guests report the states the tests need.</summary>
public static class Fleets
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";
    public const string OtherSubscription = "22222222-2222-2222-2222-222222222222";
    public const string ResourceGroup = "rg-app";

    /// <summary>A patched Ubuntu: the three January 2018 files mitigated.</summary>
    public static JsonObject Patched() => JsonNode.Parse(
        """{"schema":1,"os":"Linux","kernel":"5.15.0-1064-azure","distro":{"id":"ubuntu","versionId":"22.04","prettyName":"Ubuntu 22.04.4 LTS"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling"},"lastBootUtc":"2026-11-01T00:00:00Z"}""")!.AsObject();

    /// <summary>A Linux without the vulnerabilities folder: it needs a guest update.</summary>
    public static JsonObject Unpatched() => JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"3.10.0","vulnerabilities":null}""")!.AsObject();

    /// <summary>A current Windows Server 2016 on Intel, every mitigation on (class 201 <c>0x6000379</c>, class 196 <c>0x203D</c>): compliant.</summary>
    public static JsonObject PatchedWindows() => JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":100664185,"flags2":0},"kvaShadow":{"status":"ok","flags":8253},"registry":{"featureSettingsOverride":0,"featureSettingsOverrideMask":3,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":[],"lastBootUtc":"2026-11-01T00:00:00Z"}""")!.AsObject();

    // A current Windows Server 2016 RDS host (MDS reported and mitigated: 0x6000104; L1TF present: 0x2030) with KVA
    // shadow off: it needs KVA shadowing and nothing else.
    public static JsonObject KvaOff() => JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":100663556,"flags2":0},"kvaShadow":{"status":"ok","flags":8240},"registry":{"featureSettingsOverride":null,"featureSettingsOverrideMask":null,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":["RDS-RD-Server"]}""")!.AsObject();

    public static string VmId(string name, string resourceGroup = ResourceGroup, string subscription = Subscription) =>
        $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines/{name}";

    /// <summary>A virtual machine; its guest reports <paramref name="guest"/>, by default a patched one of its OS.</summary>
    public static JsonObject Vm(
        string name,
        string os = "Linux",
        string power = "running",
        JsonNode? guest = null,
        JsonObject? runCommand = null,
        string agent = "Ready",
        JsonObject? tags = null,
        JsonObject? maintenance = null,
        string resourceGroup = ResourceGroup)
    {
        var vm = new JsonObject
        {
            ["name"] = name,
            ["resourceGroup"] = resourceGroup,
            ["location"] = "westeurope",
            ["osType"] = os,
            ["powerState"] = power,
            ["agentStatus"] = agent,
            ["tags"] = tags ?? new JsonObject(),
            ["guest"] = guest ?? (os == "Windows" ? PatchedWindows() : Patched()),
        };
        if (runCommand is not null)
        {
            vm["runCommand"] = runCommand;
        }

        if (maintenance is not null)
        {
            vm["maintenance"] = maintenance;
        }

        return vm;
    }

    /// <summary>A fleet of these machines in <see cref="Subscription"/>.</summary>
    public static string Of(params JsonObject[] machines) => Fleet(Subscription, machines);

    /// <summary>
    /// A fleet of one subscription with <paramref name="machines"/>, scale sets, Cloud Services and a Guest OS catalogue;
    /// with <paramref name="otherSubscriptionMachines"/>, a second subscription (<see cref="OtherSubscription"/>) too.
    /// </summary>
    public static string Fleet(
        string subscriptionId,
        JsonObject[] machines,
        JsonArray? scaleSets = null,
        JsonArray? cloudServices = null,
        JsonArray? catalogue = null,
        JsonObject[]? otherSubscriptionMachines = null)
    {
        var subscriptions = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["displayName"] = "production",
            ["virtualMachines"] = new JsonArray(machines.Select(m => (JsonNode)m).ToArray()),
            ["scaleSets"] = scaleSets ?? [],
            ["cloudServices"] = cloudServices ?? [],
        });
        if (otherSubscriptionMachines is { Length: > 0 })
        {
            subscriptions.Add(new JsonObject
            {
                ["subscriptionId"] = OtherSubscription,
                ["displayName"] = "development",
                ["virtualMachines"] = new JsonArray(otherSubscriptionMachines.Select(m => (JsonNode)m).ToArray()),
            });
        }

        var fleet = new JsonObject { ["subscriptions"] = subscriptions };
        if (catalogue is not null)
        {
            fleet["cloudServiceOsVersions"] = catalogue;
        }

        return fleet.ToJsonString();
    }
}
