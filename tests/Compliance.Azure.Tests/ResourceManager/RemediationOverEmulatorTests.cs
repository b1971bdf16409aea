using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>
/// A remediation as a plan runs it, on the emulator through the real SDK: the machine's findings choose the script,
/// the Run Command runner sends it, its output is read, the restart adapter restarts the machine, and the next check
/// (the guest check script through the same runner, judged by every rule) shows the change.
/// </summary>
public sealed class RemediationOverEmulatorTests
{
    private static readonly ComplianceAssessor _assessor = new(ComplianceRules.CreateAll(), Options.Create(new RulesOptions()), TimeProvider.System);

    private static async Task<Machine> MachineAsync(ArmHarness harness, string name)
    {
        await foreach (var resource in harness.Inventory().GetResourcesAsync(Fleets.Subscription, CancellationToken.None))
        {
            if (resource is Machine machine && machine.Name == name)
            {
                return machine;
            }
        }

        throw new InvalidOperationException($"{name} is not in the fleet");
    }

    private static async Task<Assessment> CheckAsync(ArmHarness harness, Machine machine)
    {
        var result = await harness.Runner().RunAsync(machine, GuestScripts.For(machine.Os!.Value), CancellationToken.None);
        var parsed = GuestReportParser.Parse(result.Stdout, machine.Os);
        Assert.True(parsed.Success, parsed.Error);
        return _assessor.Assess(machine, GuestCheckOutcome.Reported(parsed.Report!));
    }

    private static async Task<(RemediationScriptChoice Choice, IReadOnlyList<RemediationScriptOutput> Outputs)> RemediateAsync(
        ArmHarness harness, Machine machine, Assessment before, params string[] names)
    {
        var findings = ComplianceReportBuilder.ToResource(before).Findings;
        var choice = RemediationScripts.Choose(machine.Os!.Value, findings, names.Length == 0 ? null : names);
        var outputs = new List<RemediationScriptOutput>();
        foreach (var script in choice.Scripts)
        {
            var result = await harness.Runner().RunAsync(machine, script.Script, CancellationToken.None);
            Assert.Null(result.Failure);
            outputs.Add(RemediationScriptOutput.Parse(result.Stdout));
        }

        return (choice, outputs);
    }

    private static ArmMachineRestarter Restarter(ArmHarness harness) => new(harness.Client, NullLogger<ArmMachineRestarter>.Instance);

    private static Finding? Find(Assessment assessment, FindingCode code) => assessment.Findings.SingleOrDefault(f => f.Code == code);

    [Fact]
    public async Task KvaShadowing_ScriptThenRebootPendingThenCompliantAfterTheRestart()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("rds", "Windows", guest: Fleets.KvaOff())));
        var machine = await MachineAsync(harness, "rds");
        var before = await CheckAsync(harness, machine);
        Assert.Equal(ComplianceStatus.ActionRequired, before.Status);
        Assert.Equal(false, Find(before, FindingCode.KvaShadowingRequired)!.Evidence["rebootPending"]);

        var (choice, outputs) = await RemediateAsync(harness, machine, before);

        Assert.Equal("windows-spectre-meltdown", Assert.Single(choice.Scripts).Name);
        var output = Assert.Single(outputs);
        Assert.True(output.Succeeded, output.Error);
        Assert.Equal(
            [new RemediationSetting("FeatureSettingsOverride", "0", null), new RemediationSetting("FeatureSettingsOverrideMask", "3", null)],
            output.Settings);

        var pending = await CheckAsync(harness, machine);
        Assert.Equal(ComplianceStatus.ActionRequired, pending.Status);
        Assert.Equal([RemediationAction.KvaShadowing], pending.Actions);
        var waiting = Find(pending, FindingCode.KvaShadowingRequired)!;
        Assert.Equal(true, waiting.Evidence["rebootPending"]);
        Assert.Contains("a reboot is pending", waiting.Message, StringComparison.Ordinal);

        Assert.Null(await Restarter(harness).RestartAsync(machine, CancellationToken.None));

        var after = await CheckAsync(harness, machine);
        Assert.Null(Find(after, FindingCode.KvaShadowingRequired));
        Assert.DoesNotContain(RemediationAction.KvaShadowing, after.Actions);
        Assert.Equal(ComplianceStatus.Compliant, after.Status);
    }

    [Fact]
    public async Task KvasBtiAndMds_OneWindowsMdsScriptAndTheRestartEndEveryFinding()
    {
        var guest = Fleets.KvaOff();
        // BTI microcode visible but off by policy, MDS reported but off.
        guest["speculationControl"]!["flags"] = 0x0400_037A;
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("rds", "Windows", guest: guest)));
        var machine = await MachineAsync(harness, "rds");
        var before = await CheckAsync(harness, machine);
        Assert.NotNull(Find(before, FindingCode.BtiDisabled));
        Assert.NotNull(Find(before, FindingCode.MdsMitigationDisabled));
        Assert.NotNull(Find(before, FindingCode.KvaShadowingRequired));

        var (choice, outputs) = await RemediateAsync(harness, machine, before);

        Assert.Equal("windows-mds", Assert.Single(choice.Scripts).Name);
        Assert.Equal("72", Assert.Single(outputs).Settings[0].Value);
        var pending = await CheckAsync(harness, machine);
        Assert.Equal(true, Find(pending, FindingCode.BtiDisabled)!.Evidence["rebootPending"]);
        Assert.Equal(true, Find(pending, FindingCode.KvaShadowingRequired)!.Evidence["rebootPending"]);

        Assert.Null(await Restarter(harness).RestartAsync(machine, CancellationToken.None));

        var after = await CheckAsync(harness, machine);
        Assert.Equal(ComplianceStatus.Compliant, after.Status);
        Assert.Empty(after.Actions);
    }

    [Fact]
    public async Task HyperVHost_TheValueEndsTheFindingAtOnce()
    {
        var guest = Fleets.PatchedWindows();
        guest["features"] = new JsonArray("Hyper-V");
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("host", "Windows", guest: guest)));
        var machine = await MachineAsync(harness, "host");
        var before = await CheckAsync(harness, machine);
        Assert.NotNull(Find(before, FindingCode.HyperVMinVmVersionMissing));

        var (choice, outputs) = await RemediateAsync(harness, machine, before);

        Assert.Equal("windows-hyperv-min-vm-version", Assert.Single(choice.Scripts).Name);
        Assert.True(Assert.Single(choice.Scripts).NeedsRestart);
        Assert.Equal([new RemediationSetting("MinVmVersionForCpuBasedMitigations", "1.0", null)], Assert.Single(outputs).Settings);
        var after = await CheckAsync(harness, machine);
        Assert.Null(Find(after, FindingCode.HyperVMinVmVersionMissing));
        Assert.Equal(ComplianceStatus.Compliant, after.Status);
    }

    [Fact]
    public async Task LinuxUnprivilegedEbpf_TheSysctlEndsTheFindingWithoutARestart()
    {
        var guest = Fleets.Patched();
        guest["vulnerabilities"]!["spectre_v2"] = "Vulnerable: eIBRS with unprivileged eBPF";
        guest["unprivilegedBpfDisabled"] = 0;
        guest["kernelParameters"] = new JsonArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("lin", "Linux", guest: guest)));
        var machine = await MachineAsync(harness, "lin");
        var before = await CheckAsync(harness, machine);
        Assert.NotNull(Find(before, FindingCode.MitigationDisabled));

        var (choice, outputs) = await RemediateAsync(harness, machine, before);

        Assert.False(Assert.Single(choice.Scripts).NeedsRestart);
        Assert.Equal([new RemediationSetting("kernel.unprivileged_bpf_disabled", "1", "0")], Assert.Single(outputs).Settings);
        var after = await CheckAsync(harness, machine);
        Assert.Null(Find(after, FindingCode.MitigationDisabled));
        Assert.Equal(ComplianceStatus.Compliant, after.Status);
    }

    [Fact]
    public async Task LinuxBootParameter_NoScriptAndTheVerdictStays()
    {
        var guest = Fleets.Patched();
        guest["vulnerabilities"]!["meltdown"] = "Vulnerable";
        guest["kernelParameters"] = new JsonArray("nopti");
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("lin", "Linux", guest: guest)));
        var machine = await MachineAsync(harness, "lin");
        var before = await CheckAsync(harness, machine);

        var (choice, _) = await RemediateAsync(harness, machine, before);

        Assert.Empty(choice.Scripts);
        Assert.Contains(choice.Unremediable, l => l.Contains("explained, not edited", StringComparison.Ordinal) && l.Contains("nopti", StringComparison.Ordinal));
        Assert.Single(harness.Emulator.RunCommands);
    }

    [Fact]
    public async Task Restart_ScaleSetInstance_Restarted()
    {
        var scaleSets = new JsonArray(new JsonObject
        {
            ["name"] = "web",
            ["resourceGroup"] = Fleets.ResourceGroup,
            ["osType"] = "Linux",
            ["instances"] = new JsonArray(new JsonObject { ["powerState"] = "running", ["guest"] = Fleets.Patched() }),
        });
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], scaleSets));
        var machine = await MachineAsync(harness, "web_0");
        Assert.Equal(ResourceKind.ScaleSetInstance, machine.Kind);

        Assert.Null(await Restarter(harness).RestartAsync(machine, CancellationToken.None));

        var restart = Assert.Single(harness.Emulator.Requests, r => r.Method == "POST");
        Assert.True(restart.PathAndQuery.Contains("/virtualMachineScaleSets/web/virtualMachines/0/restart?", StringComparison.OrdinalIgnoreCase), restart.PathAndQuery);
        Assert.Equal(202, restart.StatusCode);
    }

    [Fact]
    public async Task Restart_StoppedMachine_OneLineReasonFromArm()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows", power: "stopped")));
        var machine = await MachineAsync(harness, "win");

        var reason = await Restarter(harness).RestartAsync(machine, CancellationToken.None);

        Assert.Equal("restart failed with HTTP 409 OperationNotAllowed: Operation 'restart' is not allowed on VM 'win' since the VM is not running.", reason);
    }

    [Fact]
    public async Task Restart_HostileErrorMessage_InertAndOneLine()
    {
        await using var harness = await ArmHarness.StartAsync(
            Fleets.Of(Fleets.Vm("win", "Windows")),
            interceptor: request => request.Method == HttpMethod.Post
                ? new HttpResponseMessage(HttpStatusCode.BadRequest)
                {
                    Content = new StringContent("""{"error":{"code":"Bad\u001b[31m","message":"no\u001b]0;pwned\u0007\nsecond line"}}""", Encoding.UTF8, "application/json"),
                }
                : null);
        var machine = await MachineAsync(harness, "win");

        var reason = await Restarter(harness).RestartAsync(machine, CancellationToken.None);

        Assert.NotNull(reason);
        Assert.StartsWith("restart failed with HTTP 400 Bad<U+001B>[31m: no<U+001B>]0;pwned<U+0007>", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason);
        Assert.DoesNotContain("second line", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCompliance_TheRestartAdapterIsRegisteredBesideTheRunner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        await using var services = new ServiceCollection().AddLogging().AddCompliance(configuration).BuildServiceProvider();

        Assert.IsType<ArmMachineRestarter>(services.GetRequiredService<IMachineRestarter>());
        Assert.Same(services.GetRequiredService<IMachineRestarter>(), services.GetRequiredService<IMachineRestarter>());
        Assert.IsType<ArmGuestCommandRunner>(services.GetRequiredService<IGuestCommandRunner>());
    }
}
