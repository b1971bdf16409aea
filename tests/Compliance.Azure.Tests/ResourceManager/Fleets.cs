using System.Text.Json.Nodes;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>Small fleet files for adapter tests.</summary>
internal static class Fleets
{
    public const string SubscriptionA = "11111111-1111-1111-1111-111111111111";
    public const string SubscriptionB = "22222222-2222-2222-2222-222222222222";

    public static readonly JsonObject WindowsGuest = JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":100664185,"flags2":0},"kvaShadow":{"status":"ok","flags":8253},"registry":{"featureSettingsOverride":0,"featureSettingsOverrideMask":3,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":[],"lastBootUtc":"2026-11-01T00:00:00Z"}""")!.AsObject();

    public static readonly JsonObject LinuxGuest = JsonNode.Parse(
        """{"schema":1,"os":"Linux","kernel":"5.15.0-1064-azure","distro":{"id":"ubuntu","versionId":"22.04","prettyName":"Ubuntu 22.04.4 LTS"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling"},"lastBootUtc":"2026-11-01T00:00:00Z"}""")!.AsObject();

    public static JsonObject Vm(string name, string os, string power = "running", JsonNode? guest = null, JsonObject? runCommand = null, string agent = "Ready", JsonObject? tags = null, JsonObject? maintenance = null, string resourceGroup = "rg-test")
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
            ["guest"] = guest ?? (os == "Windows" ? WindowsGuest : LinuxGuest).DeepClone(),
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

    public static string Of(params JsonObject[] virtualMachines) => Fleet(SubscriptionA, virtualMachines);

    public static string Fleet(string subscriptionId, JsonObject[] virtualMachines, JsonArray? scaleSets = null, JsonArray? cloudServices = null, JsonArray? catalogue = null)
    {
        var subscription = new JsonObject
        {
            ["subscriptionId"] = subscriptionId,
            ["displayName"] = "test",
            ["virtualMachines"] = new JsonArray(virtualMachines.Select(v => (JsonNode)v).ToArray()),
            ["scaleSets"] = scaleSets ?? [],
            ["cloudServices"] = cloudServices ?? [],
        };
        var fleet = new JsonObject { ["subscriptions"] = new JsonArray(subscription) };
        if (catalogue is not null)
        {
            fleet["cloudServiceOsVersions"] = catalogue;
        }

        return fleet.ToJsonString();
    }
}
