using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Emulator;

namespace Compliance.Reliability.Tests;

/// <summary>
/// A fleet of one subscription whose machines come in four kinds, each with its known true verdict: patched Linux
/// (Compliant), unpatched Linux (a guest update), an RDS host without KVA shadowing (KVA shadowing) and a stopped
/// machine (Unknown: not running).
/// </summary>
internal sealed class ReliabilityFleet
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";

    private readonly Dictionary<string, ExpectedVerdict> _expected;

    private readonly JsonObject _document;

    private ReliabilityFleet(JsonObject document, Dictionary<string, ExpectedVerdict> expected)
    {
        _document = document;
        _expected = expected;
    }

    /// <summary>The fleet file.</summary>
    public string Json => _document.ToJsonString();

    /// <summary>Each machine's resource id and true verdict.</summary>
    public IReadOnlyDictionary<string, ExpectedVerdict> Expected => _expected;

    /// <summary>
    /// The guest of the first unpatched machine gets its updates (in the fleet file and, when given, in a running
    /// emulator): its next check resolves its action.
    /// </summary>
    public void PatchOne(ArmEmulator? emulator)
    {
        var id = _expected.First(e => e.Value.Actions.Contains("GuestUpdate")).Key;
        var name = id[(id.LastIndexOf('/') + 1)..];
        var vm = _document["subscriptions"]![0]!["virtualMachines"]!.AsArray().Single(m => (string?)m!["name"] == name)!;
        vm["guest"] = Patched();
        emulator?.UpdateMachine(id, machine => machine with { Guest = JsonSerializer.SerializeToElement(Patched()) });
        _expected[id] = new ExpectedVerdict("Compliant", []);
    }

    public static ReliabilityFleet Create(int machines)
    {
        var vms = new JsonArray();
        var expected = new Dictionary<string, ExpectedVerdict>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < machines; i++)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"vm-{i:000}");
            var (vm, verdict) = (i % 4) switch
            {
                0 => (Vm(name, "Linux", Patched()), new ExpectedVerdict("Compliant", [])),
                1 => (Vm(name, "Linux", Unpatched()), new ExpectedVerdict("ActionRequired", ["GuestUpdate"])),
                2 => (Vm(name, "Windows", KvaOff()), new ExpectedVerdict("ActionRequired", ["KvaShadowing"])),
                _ => (Vm(name, "Linux", Patched(), power: "deallocated"), new ExpectedVerdict("Unknown", [])),
            };
            vms.Add(vm);
            expected[VmId(name)] = verdict;
        }

        var fleet = new JsonObject
        {
            ["subscriptions"] = new JsonArray(new JsonObject
            {
                ["subscriptionId"] = Subscription,
                ["displayName"] = "production",
                ["virtualMachines"] = vms,
            }),
        };
        return new ReliabilityFleet(fleet, expected);
    }

    public static string VmId(string name) =>
        $"/subscriptions/{Subscription}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/{name}";

    public static JsonObject Vm(string name, string os, JsonObject? guest, string power = "running") => new()
    {
        ["name"] = name,
        ["resourceGroup"] = "rg-app",
        ["location"] = "westeurope",
        ["osType"] = os,
        ["powerState"] = power,
        ["guest"] = guest,
    };

    public static JsonObject Patched() => JsonNode.Parse(
        """{"schema":1,"os":"Linux","kernel":"5.15.0-1064-azure","distro":{"id":"ubuntu","versionId":"22.04","prettyName":"Ubuntu 22.04"},"vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines; IBPB: conditional"}}""")!.AsObject();

    public static JsonObject Unpatched() => JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"3.10.0","vulnerabilities":null}""")!.AsObject();

    // A current Windows Server 2016 RDS host (MDS reported and mitigated: 0x6000104; L1TF present: 0x2030) with KVA
    // shadow off: it needs KVA shadowing and nothing else.
    public static JsonObject KvaOff() => JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":2007,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"ok","flags":100663556,"flags2":0},"kvaShadow":{"status":"ok","flags":8240},"registry":{"featureSettingsOverride":null,"featureSettingsOverrideMask":null,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":["RDS-RD-Server"]}""")!.AsObject();
}
