using System.Text.Json.Nodes;

namespace Compliance.Functions.Tests;

/// <summary>Fleet files for the app's tests.</summary>
internal static class Fleets
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";
    public const string OtherSubscription = "22222222-2222-2222-2222-222222222222";

    public static JsonObject Patched() => JsonNode.Parse(
        """{"schema":1,"os":"Linux","kernel":"5.15.0-1064-azure","distro":{"id":"ubuntu","versionId":"22.04","prettyName":"Ubuntu 22.04"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines; IBPB: conditional"}}""")!.AsObject();

    public static JsonObject Unpatched() => JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"3.10.0","vulnerabilities":null}""")!.AsObject();

    public static JsonObject KvaOff() => JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":100663556,"flags2":0},"kvaShadow":{"status":"ok","flags":8240},"registry":{"featureSettingsOverride":null,"featureSettingsOverrideMask":null,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":["RDS-RD-Server"]}""")!.AsObject();

    public static string VmId(string name, string resourceGroup = "rg-app", string subscription = Subscription) =>
        $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Compute/virtualMachines/{name}";

    public static JsonObject Vm(string name, JsonObject? guest = null, string os = "Linux", string resourceGroup = "rg-app", string power = "running") => new()
    {
        ["name"] = name,
        ["resourceGroup"] = resourceGroup,
        ["location"] = "westeurope",
        ["osType"] = os,
        ["powerState"] = power,
        ["guest"] = guest ?? Patched(),
    };

    public static string Of(params JsonObject[] machines) => Of(machines, []);

    public static string Of(JsonObject[] machines, JsonObject[] otherSubscriptionMachines, JsonArray? cloudServices = null)
    {
        var subscriptions = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = Subscription,
            ["displayName"] = "production",
            ["virtualMachines"] = new JsonArray(machines.Select(m => (JsonNode)m).ToArray()),
            ["cloudServices"] = cloudServices ?? [],
        });
        if (otherSubscriptionMachines.Length > 0)
        {
            subscriptions.Add(new JsonObject
            {
                ["subscriptionId"] = OtherSubscription,
                ["displayName"] = "development",
                ["virtualMachines"] = new JsonArray(otherSubscriptionMachines.Select(m => (JsonNode)m).ToArray()),
            });
        }

        return new JsonObject { ["subscriptions"] = subscriptions }.ToJsonString();
    }
}
