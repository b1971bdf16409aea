using System.Text.Json.Nodes;
using Compliance.Core.Rules;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>The scanner with the real ARM adapters against the emulator: hostile and failing guests end in verdicts.</summary>
public sealed class ScannerOverEmulatorTests
{
    private static async Task<Dictionary<string, Assessment>> ScanAsync(params JsonObject[] machines)
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(machines));
        var result = await harness.ScanAsync();

        Assert.Empty(result.Errors);
        return result.Assessments.ToDictionary(a => a.Resource.Name);
    }

    private static JsonObject Raw(string name, string output) =>
        Fleets.Vm(name, "Linux", runCommand: new JsonObject { ["rawOutput"] = output });

    [Fact]
    public async Task Scan_UnreadableGuestOutput_OutputUnreadable()
    {
        var oversizedGuest = Fleets.Patched().DeepClone().AsObject();
        oversizedGuest["kernel"] = new string('k', 6000);
        var linux = Fleets.Patched().ToJsonString();

        var verdicts = await ScanAsync(
            Raw("truncated", linux[..(linux.Length / 2)]),
            Raw("garbage", "Segmentation fault (core dumped)\n"),
            Raw("unknown-schema", linux.Replace("\"schema\":1", "\"schema\":2", StringComparison.Ordinal)),
            Raw("html", "<html><body>502 Bad Gateway</body></html>"),
            Fleets.Vm("oversized", "Linux", guest: oversizedGuest),
            Raw("noisy", "motd: welcome\n{\"not\":\"it\"}\n" + linux + "\n"));

        foreach (var name in new[] { "truncated", "garbage", "unknown-schema", "html", "oversized" })
        {
            Assert.Equal(ComplianceStatus.Unknown, verdicts[name].Status);
            Assert.Equal(FindingCode.OutputUnreadable, Assert.Single(verdicts[name].Findings).Code);
        }

        Assert.Equal(ComplianceStatus.Compliant, verdicts["noisy"].Status);
    }

    [Fact]
    public async Task Scan_MachinesThatCannotBeChecked_GetTheirCodes()
    {
        var verdicts = await ScanAsync(
            Fleets.Vm("stopped", "Windows", power: "stopped"),
            Fleets.Vm("deallocated", "Linux", power: "deallocated"),
            Fleets.Vm("agentless", "Windows", agent: "NotReady"),
            Fleets.Vm("agent-fails", "Windows", runCommand: new JsonObject { ["failure"] = "agentNotReady" }),
            Fleets.Vm("busy", "Linux", runCommand: new JsonObject { ["failure"] = "conflict" }),
            Fleets.Vm("timeout", "Windows", runCommand: new JsonObject { ["failure"] = "timeout" }),
            Fleets.Vm("fine", "Windows"));

        Assert.Equal(FindingCode.NotRunning, Assert.Single(verdicts["stopped"].Findings).Code);
        Assert.Equal(FindingCode.NotRunning, Assert.Single(verdicts["deallocated"].Findings).Code);
        Assert.Equal(FindingCode.AgentUnavailable, Assert.Single(verdicts["agentless"].Findings).Code);
        Assert.Equal(FindingCode.AgentUnavailable, Assert.Single(verdicts["agent-fails"].Findings).Code);
        Assert.Equal(FindingCode.CheckFailed, Assert.Single(verdicts["busy"].Findings).Code);
        Assert.Equal(FindingCode.CheckFailed, Assert.Single(verdicts["timeout"].Findings).Code);
        Assert.All(verdicts.Values.Where(v => v.Resource.Name != "fine"), v => Assert.Equal(ComplianceStatus.Unknown, v.Status));
        Assert.Equal(ComplianceStatus.Compliant, verdicts["fine"].Status);
    }

    [Fact]
    public async Task Scan_RunCommandResultOnlyAtTheLocation_SameVerdictsAsFromTheStatus()
    {
        var fleet = Fleets.Of(Fleets.Vm("win", "Windows"), Fleets.Vm("lin", "Linux"), Raw("garbage", "Segmentation fault (core dumped)\n"));
        await using var fromStatus = await ArmHarness.StartAsync(fleet);
        await using var fromLocation = await ArmHarness.StartAsync(fleet, runCommandOutputInStatus: false);

        var expected = (await fromStatus.ScanAsync()).Assessments.ToDictionary(a => a.Resource.Name);
        var actual = await fromLocation.ScanAsync();

        Assert.Empty(actual.Errors);
        Assert.Equal(ComplianceStatus.Compliant, expected["win"].Status);
        Assert.Equal(ComplianceStatus.Compliant, expected["lin"].Status);
        Assert.Equal(FindingCode.OutputUnreadable, Assert.Single(expected["garbage"].Findings).Code);
        Assert.All(actual.Assessments, a => Assert.Equal(
            (expected[a.Resource.Name].Status, string.Join(",", expected[a.Resource.Name].Findings.Select(f => f.Code))),
            (a.Status, string.Join(",", a.Findings.Select(f => f.Code)))));
        Assert.Contains(fromLocation.Emulator.Requests, r => r.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal));
        Assert.DoesNotContain(fromStatus.Emulator.Requests, r => r.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal));
    }
}
