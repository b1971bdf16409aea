using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.Storage.Queues;
using Compliance.Core.Remediation;
using Compliance.Emulator.Arm;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

/// <summary>
/// The remediation scripts and <c>restart</c> on the emulator, through the real Compute SDK: a script changes the
/// guest's registry (or sysctl) at once and prints what it set; the kernel's flags follow the registry only after a
/// restart, which answers as Azure does and raises its resource event.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class RemediationEndpointsTests(AzuriteFixture azurite)
{
    private static string Fleet(params JsonObject[] machines) => Fleets.Of(machines);

    private static readonly DateTimeOffset _now = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static async Task<ArmEmulator> StartAsync(string fleet) =>
        await ArmEmulator.StartAsync(FleetDocument.Parse(fleet, "test"), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now) });

    private static VirtualMachineResource Vm(ArmEmulator emulator, string name) =>
        ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(Fleets.Subscription, Fleets.ResourceGroup, name));

    private static async Task<string> RunAsync(ArmEmulator emulator, string vm, string script)
    {
        var remediation = RemediationScripts.Find(script)!;
        var input = new RunCommandInput(remediation.Script.CommandId);
        foreach (var line in remediation.Script.Lines)
        {
            input.Script.Add(line);
        }

        var result = await Vm(emulator, vm).RunCommandAsync(WaitUntil.Completed, input);
        var message = result.Value.Value[0].Message;
        return remediation.Os == Core.Inventory.OsType.Windows ? message : message.Split("[stdout]\n")[1].Split("\n[stderr]")[0];
    }

    private static JsonElement Guest(ArmEmulator emulator, string vm)
    {
        JsonElement? guest = null;
        emulator.UpdateMachine(Fleets.VmId(vm), m =>
        {
            guest = m.Guest;
            return m;
        });
        return guest!.Value;
    }

    private static uint Flags(JsonElement guest, string query) => guest.GetProperty(query).GetProperty("flags").GetUInt32();

    [Fact]
    public async Task SpectreMeltdownScript_RegistryAtOnceTheKernelOnlyAfterTheRestart()
    {
        var guest = Fleets.KvaOff();
        guest["registry"]!["featureSettingsOverride"] = 3;
        guest["registry"]!["featureSettingsOverrideMask"] = 3;
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", guest: guest)));

        var stdout = await RunAsync(emulator, "win", "windows-spectre-meltdown");

        Assert.Equal("SET FeatureSettingsOverride=0 PREVIOUS=3\nSET FeatureSettingsOverrideMask=3 PREVIOUS=3\nRESULT ok\n", stdout);
        Assert.True(RemediationScriptOutput.Parse(stdout).Succeeded);
        var written = Guest(emulator, "win");
        Assert.Equal(0u, written.GetProperty("registry").GetProperty("featureSettingsOverride").GetUInt32());
        Assert.Equal(0x2030u, Flags(written, "kvaShadow"));

        var restart = await Vm(emulator, "win").RestartAsync(WaitUntil.Completed);

        Assert.True(restart.HasCompleted);
        var booted = Guest(emulator, "win");
        Assert.Equal(0x2031u, Flags(booted, "kvaShadow"));
        // The BTI microcode is not exposed (0x04): the registry cannot turn BTI on.
        Assert.Equal(Flags(written, "speculationControl"), Flags(booted, "speculationControl"));
        Assert.False(written.TryGetProperty("lastBootUtc", out _));
        Assert.Equal("2030-01-02T03:04:05Z", booted.GetProperty("lastBootUtc").GetString());
    }

    [Theory]
    [InlineData("windows-mds", null, "72", "absent")]
    [InlineData("windows-mds", 3u, "72", "3")]
    [InlineData("windows-mds-without-smt", 0x800003u, "8396872", "8388611")]
    [InlineData("windows-spectre-meltdown", 8264u, "8264", "8264")]
    public async Task OverrideScripts_KeepEveryBitButTheTwoDisableBits(string script, uint? previous, string value, string shown)
    {
        var guest = Fleets.KvaOff();
        guest["registry"]!["featureSettingsOverride"] = previous;
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", guest: guest)));

        var stdout = await RunAsync(emulator, "win", script);

        Assert.StartsWith($"SET FeatureSettingsOverride={value} PREVIOUS={shown}\n", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MdsScript_AfterTheRestartMdsBtiPolicyAndKvaShadowFollowTheRegistry()
    {
        var guest = Fleets.KvaOff();
        // BTI microcode visible but off by policy (0x378 | 0x02), MDS reported but off.
        guest["speculationControl"]!["flags"] = 0x0400_037A;
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", guest: guest)));

        await RunAsync(emulator, "win", "windows-mds");
        await Vm(emulator, "win").RestartAsync(WaitUntil.Completed);

        var booted = Guest(emulator, "win");
        Assert.Equal(0x0600_0379u, Flags(booted, "speculationControl"));
        Assert.Equal(0x2031u, Flags(booted, "kvaShadow"));
    }

    [Fact]
    public async Task HyperVScript_ValueAtOnceHostileOldValueNotEchoed()
    {
        var guest = Fleets.KvaOff();
        guest["registry"]!["minVmVersionForCpuBasedMitigations"] = "0.9 \u001b[2J";
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", guest: guest)));

        var stdout = await RunAsync(emulator, "win", "windows-hyperv-min-vm-version");

        Assert.Equal("SET MinVmVersionForCpuBasedMitigations=1.0 PREVIOUS=invalid\nRESULT ok\n", stdout);
        Assert.Equal("1.0", Guest(emulator, "win").GetProperty("registry").GetProperty("minVmVersionForCpuBasedMitigations").GetString());
    }

    [Fact]
    public async Task LinuxScript_SysctlAndTheKernelsViewAtOnce()
    {
        var guest = Fleets.Patched();
        guest["vulnerabilities"]!["spectre_v2"] = "Vulnerable: eIBRS with unprivileged eBPF";
        guest["unprivilegedBpfDisabled"] = 0;
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("lin", "Linux", guest: guest)));

        var stdout = await RunAsync(emulator, "lin", "linux-unprivileged-bpf");

        Assert.Equal("SET kernel.unprivileged_bpf_disabled=1 PREVIOUS=0\nRESULT ok\n", stdout);
        var changed = Guest(emulator, "lin");
        Assert.Equal(1, changed.GetProperty("unprivilegedBpfDisabled").GetInt32());
        Assert.StartsWith("Mitigation: Enhanced / Automatic IBRS;", changed.GetProperty("vulnerabilities").GetProperty("spectre_v2").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherScript_PrintsTheReportAndChangesNothing()
    {
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", guest: Fleets.KvaOff())));
        var before = Guest(emulator, "win").GetRawText();

        var input = new RunCommandInput("RunPowerShellScript");
        input.Script.Add("# compliance-remediation: windows-everything");
        var result = await Vm(emulator, "win").RunCommandAsync(WaitUntil.Completed, input);

        Assert.StartsWith("{\"schema\":1", result.Value.Value[0].Message, StringComparison.Ordinal);
        Assert.Equal(before, Guest(emulator, "win").GetRawText());
    }

    [Fact]
    public async Task Restart_AnswersAsAzure202ThenSucceeded()
    {
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows")));
        using var http = new ArmHttp(emulator);

        var accepted = await http.SendAsync(HttpMethod.Post, $"{Fleets.VmId("win").TrimStart('/')}/restart?{ArmHttp.ApiVersion}");

        Assert.Equal(202, accepted.Status);
        Assert.NotNull(accepted.Header("Location"));
        var status = await http.GetAsync(accepted.Header("Azure-AsyncOperation")!);
        Assert.Equal(200, status.Status);
        using var body = JsonDocument.Parse(status.Body);
        Assert.Equal("Succeeded", body.RootElement.GetProperty("status").GetString());
        Assert.False(body.RootElement.TryGetProperty("properties", out _));
    }

    [Fact]
    public async Task Restart_StoppedOrUnknownMachine_RefusedAsAzure()
    {
        await using var emulator = await StartAsync(Fleet(Fleets.Vm("win", "Windows", power: "stopped")));

        var stopped = await Assert.ThrowsAsync<RequestFailedException>(() => Vm(emulator, "win").RestartAsync(WaitUntil.Completed));
        var missing = await Assert.ThrowsAsync<RequestFailedException>(() => Vm(emulator, "nope").RestartAsync(WaitUntil.Completed));

        Assert.Equal((409, "OperationNotAllowed"), (stopped.Status, stopped.ErrorCode));
        Assert.Equal(404, missing.Status);
    }

    [Fact]
    public async Task Restart_ScaleSetInstance_RaisesTheRestartActionEventNamingTheCaller()
    {
        var queue = new EventQueueOptions { ConnectionString = azurite.ConnectionString, QueueName = "events-" + Guid.NewGuid().ToString("N") };
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var client = ArmClientFactory.Create(emulator, maxRetries: 0);

        await client.GetVirtualMachineScaleSetVmResource(VirtualMachineScaleSetVmResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-web", "web-vmss", "0"))
            .RestartAsync(WaitUntil.Completed);
        await emulator.WhenEventsDeliveredAsync();

        var stored = Assert.Single((await new QueueClient(azurite.ConnectionString, queue.QueueName).PeekMessagesAsync(32)).Value);
        using var sent = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(stored.Body.ToString())));
        var data = sent.RootElement.GetProperty("data");
        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", sent.RootElement.GetProperty("eventType").GetString());
        Assert.Equal("Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action", data.GetProperty("operationName").GetString());
        Assert.EndsWith("/virtualMachineScaleSets/web-vmss/virtualMachines/0/restart?api-version=2023-07-01", data.GetProperty("httpRequest").GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal(emulator.CallerPrincipalId, data.GetProperty("claims").GetProperty(EventCaller.ObjectIdClaim).GetString());
    }

    [Fact]
    public void Recognise_OnlyTheMarkerOfAKnownScript() =>
        Assert.Equal(
            [.. RemediationScripts.All.Select(s => s.Name), null, null],
            RemediationScripts.All.Select(s => EmulatedGuestSettings.Recognise(s.Script.Lines))
                .Append(EmulatedGuestSettings.Recognise(Core.Guest.GuestScripts.Windows.Lines))
                .Append(EmulatedGuestSettings.Recognise(["a", "b", "c", "# compliance-remediation: windows-mds"])));
}
