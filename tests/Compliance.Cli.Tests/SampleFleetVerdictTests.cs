using System.Reflection;
using System.Text.Json;
using Compliance.Core.Rules;

namespace Compliance.Cli.Tests;

/// <summary>
/// The acceptance run: <c>scan --fleet samples/fleet.json --store none --format json</c> through the emulator and the
/// real ARM client, and every resource of the sample gets the verdict the verdict table prescribes.
/// </summary>
public sealed class SampleFleetVerdictTests(SampleFleetVerdictTests.SampleScan scan) : IClassFixture<SampleFleetVerdictTests.SampleScan>
{
    private readonly JsonDocument _report = scan.Report;
    private readonly CliRun.Result _run = scan.Run;

    public static TheoryData<string, string, string[], string[]> Expected() => new()
    {
        // name, status, actions, finding codes (sorted)
        { "rdsh-01", "ActionRequired", ["KvaShadowing"], ["BTI_MICROCODE_NOT_EXPOSED", "HOST_MAINTENANCE_PENDING", "KVA_SHADOWING_REQUIRED", "UNTRUSTED_CODE_HOST"] },
        { "rdsh-02", "ActionRequired", ["GuestUpdate", "KvaShadowing"], ["KVA_SHADOWING_REQUIRED", "L1TF_UPDATE_MISSING", "MDS_UPDATE_MISSING", "UNTRUSTED_CODE_HOST"] },
        { "sql-2012r2-01", "ActionRequired", ["GuestUpdate"], ["ANTIVIRUS_COMPAT_KEY_MISSING", "GUEST_UPDATE_MISSING"] },
        { "build-agent-01", "ActionRequired", ["GuestUpdate", "KvaShadowing"], ["GUEST_UPDATE_MISSING", "KVA_SHADOWING_REQUIRED", "UNTRUSTED_CODE_HOST"] },
        { "hyperv-host-01", "Compliant", [], ["UNTRUSTED_CODE_HOST"] },
        { "amd-rdsh-01", "Compliant", [], ["BTI_MICROCODE_NOT_EXPOSED", "UNTRUSTED_CODE_HOST"] },
        { "rdcl-no-01", "Compliant", [], ["UNTRUSTED_CODE_HOST"] },
        { "web-win-01", "Compliant", [], ["BTI_MICROCODE_NOT_EXPOSED"] },
        { "web-win-02", "Compliant", [], ["L1TF_UPDATE_MISSING", "MDS_UPDATE_MISSING"] },
        { "linux-web-01", "Compliant", [], ["HOST_MAINTENANCE_PENDING"] },
        { "linux-legacy-01", "ActionRequired", ["GuestUpdate"], ["GUEST_UPDATE_MISSING"] },
        { "linux-db-01", "Compliant", [], ["LATER_VARIANT_VULNERABLE"] },
        { "batch-stopped-01", "Unknown", [], ["NOT_RUNNING"] },
        { "agentless-01", "Unknown", [], ["AGENT_UNAVAILABLE"] },
        { "busy-01", "Unknown", [], ["CHECK_FAILED"] },
        { "garbled-01", "Unknown", [], ["OUTPUT_UNREADABLE"] },
        { "web-vmss_0", "Compliant", [], [] },
        { "web-vmss_1", "ActionRequired", ["GuestUpdate"], ["GUEST_UPDATE_MISSING"] },
        { "web-vmss_2", "Unknown", [], ["NOT_RUNNING"] },
        { "legacy-api", "ActionRequired", ["GuestUpdate"], ["CLOUD_SERVICE_GUEST_OS_OUTDATED"] },
        { "public-web", "ActionRequired", ["KvaShadowing"], ["KVA_SHADOWING_UNVERIFIED", "UNTRUSTED_CODE_HOST"] },
        { "dev-linux-01", "Compliant", [], ["LATER_VARIANT_UNVERIFIED"] },
        { "dev-win-timeout", "Unknown", [], ["CHECK_FAILED"] },
        { "dev-win-error", "Unknown", [], ["BTI_MICROCODE_NOT_EXPOSED", "CHECK_FAILED"] },
        { "app-vmss_0", "Compliant", [], ["BTI_MICROCODE_NOT_EXPOSED", "UNTRUSTED_CODE_HOST"] },
        { "app-vmss_1", "ActionRequired", ["KvaShadowing"], ["BTI_MICROCODE_NOT_EXPOSED", "KVA_SHADOWING_REQUIRED", "UNTRUSTED_CODE_HOST"] },
        { "modern-api", "Compliant", [], ["UNTRUSTED_CODE_HOST"] },
        { "pinned-current", "Compliant", [], [] },
        { "old-auto", "Compliant", [], [] },
        { "linux-ebpf-01", "ActionRequired", ["MitigationSettings"], ["MITIGATION_DISABLED"] },
        { "linux-perf-01", "ActionRequired", ["MitigationSettings"], ["LATER_VARIANT_VULNERABLE", "MITIGATION_DISABLED"] },
        { "linux-storage-01", "ActionRequired", ["GuestUpdate"], ["VULNERABLE_MODULE_LOADED"] },
        { "hyperv-host-02", "ActionRequired", ["MitigationSettings"], ["HYPERV_MIN_VM_VERSION_MISSING", "UNTRUSTED_CODE_HOST"] },
        { "rdsh-03", "ActionRequired", ["MitigationSettings"], ["BTI_DISABLED", "UNTRUSTED_CODE_HOST"] },
        { "rdsh-04", "ActionRequired", ["MitigationSettings"], ["MDS_MITIGATION_DISABLED", "MMIO_STALE_DATA_UNMITIGATED", "UNTRUSTED_CODE_HOST"] },
        { "linux-import-01", "Unknown", [], ["MITIGATION_STATE_UNKNOWN"] },
    };

    private JsonElement Resource(string name) =>
        _report.RootElement.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    [Theory]
    [MemberData(nameof(Expected))]
    public void Scan_SampleFleet_EveryResourceGetsThePrescribedVerdict(string name, string status, string[] actions, string[] codes)
    {
        var resource = Resource(name);

        Assert.Equal(status, resource.GetProperty("status").GetString());
        Assert.Equal(actions, resource.GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(codes, resource.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Scan_SampleFleet_ExitsThreeAndCoversEveryResourceOnce()
    {
        Assert.Equal(3, _run.ExitCode);
        var resources = _report.RootElement.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(Expected().Count, resources.Count);
        Assert.Equal(resources.Count, resources.Select(r => r.GetProperty("id").GetString()!.ToUpperInvariant()).Distinct().Count());
        Assert.Empty(_report.RootElement.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public void Scan_SampleFleet_EveryFindingCodeOccurs()
    {
        var codes = _report.RootElement.GetProperty("resources").EnumerateArray()
            .SelectMany(r => r.GetProperty("findings").EnumerateArray())
            .Select(f => f.GetProperty("code").GetString())
            .ToHashSet();

        // Every code the rules can raise, read off FindingCode itself, so that a new code cannot be left out.
        var all = typeof(FindingCode).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(FindingCode))
            .Select(p => (string?)p.GetValue(null)?.ToString())
            .ToHashSet();
        Assert.True(all.Count >= 23, $"FindingCode has {all.Count} codes");
        Assert.Superset(all, codes);
    }

    [Fact]
    public void Scan_SampleFleet_SummaryMatchesTheResources()
    {
        var root = _report.RootElement;
        var resources = root.GetProperty("resources").EnumerateArray().ToList();
        var summary = root.GetProperty("summary");

        Assert.Equal(resources.Count, summary.GetProperty("total").GetInt32());
        Assert.Equal(resources.Count(r => r.GetProperty("status").GetString() == "ActionRequired"), summary.GetProperty("actionRequired").GetInt32());
        Assert.Equal(resources.Count(r => r.GetProperty("status").GetString() == "Unknown"), summary.GetProperty("unknown").GetInt32());
        foreach (var action in new[] { "GuestUpdate", "KvaShadowing", "MitigationSettings" })
        {
            Assert.Equal(resources.Count(r => r.GetProperty("actions").EnumerateArray().Any(a => a.GetString() == action)), summary.GetProperty("byAction").GetProperty(action).GetInt32());
        }

        Assert.True(summary.GetProperty("byAction").GetProperty("MitigationSettings").GetInt32() > 0);
        Assert.Equal(2, resources.Select(r => r.GetProperty("subscriptionId").GetString()).Distinct().Count());
        Assert.Contains(resources, r => r.GetProperty("kind").GetString() == "ScaleSetInstance");
        Assert.Contains(resources, r => r.GetProperty("kind").GetString() == "CloudService" && r.GetProperty("os").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public void Scan_SampleFleet_FindingsCiteTheGuidanceAndCarryEvidence()
    {
        var kva = Resource("rdsh-01").GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "KVA_SHADOWING_REQUIRED");

        Assert.Contains("KB4072698", kva.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("reboot is pending", kva.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0x2030, kva.GetProperty("evidence").GetProperty("kvaShadow").GetProperty("flags").GetInt32());
        var outdated = Resource("legacy-api").GetProperty("findings")[0];
        Assert.Contains("WA-GUEST-OS-5.15_201801-01", outdated.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("WA-GUEST-OS-5.14_201712-01", outdated.GetProperty("evidence").GetProperty("osVersion").GetString());
    }

    /// <summary>One scan of the sample fleet, shared by the tests of this class.</summary>
    public sealed class SampleScan : IAsyncLifetime
    {
        public JsonDocument Report { get; private set; } = JsonDocument.Parse("{}");

        public CliRun.Result Run { get; private set; } = new(-1, string.Empty, string.Empty);

        public async Task InitializeAsync()
        {
            Run = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--store", "none", "--format", "json");
            Report.Dispose();
            Report = JsonDocument.Parse(Run.Out);
        }

        public Task DisposeAsync()
        {
            Report.Dispose();
            return Task.CompletedTask;
        }
    }
}
