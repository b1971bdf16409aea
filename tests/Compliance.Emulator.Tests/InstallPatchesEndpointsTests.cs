using System.Text.Json;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class InstallPatchesEndpointsTests
{
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // Before the January 2018 update: the kernel answers neither query.
    private const string UnpatchedWindows = """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":1884,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"notSupported"},"kvaShadow":{"status":"notSupported"},"registry":{"featureSettingsOverride":null,"featureSettingsOverrideMask":null,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":null},"features":[],"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    private const string UnpatchedLinux = """{"schema":1,"os":"Linux","kernel":"4.15.0-1009-azure","distro":{"id":"ubuntu","versionId":"18.04","prettyName":"Ubuntu 18.04 LTS"},"vulnerabilities":{"meltdown":"Vulnerable","spectre_v2":"Vulnerable"},"lastBootUtc":"2018-01-12T08:00:00Z"}""";

    private const string WindowsBody = """{"maximumDuration":"PT2H","rebootSetting":"IfRequired","windowsParameters":{"classificationsToInclude":["Security","Critical"]}}""";

    [Fact]
    public async Task InstallPatches_Accepted_IsALongRunningOperationAnsweredTheWayAzureDoes()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(
            TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: $"\"guest\":{UnpatchedWindows}")),
            new ArmEmulatorOptions { TimeProvider = clock, InstallPatchesLatency = TimeSpan.FromMinutes(10) });
        using var http = new ArmHttp(emulator);

        var accepted = await http.SendAsync(HttpMethod.Post, $"{ArmHttp.VmPath("win")}/installPatches?{ArmHttp.ApiVersion}", WindowsBody);
        var statusUrl = accepted.Header("Azure-AsyncOperation")!;
        var locationUrl = accepted.Header("Location")!;
        var running = await http.GetAsync(statusUrl);
        var notYet = await http.GetAsync(locationUrl);
        clock.Advance(TimeSpan.FromMinutes(10));
        var done = await http.GetAsync(statusUrl);
        var result = await http.GetAsync(locationUrl);

        Assert.Equal(202, accepted.Status);
        Assert.Equal("", accepted.Body);
        Assert.Equal("600", accepted.Header("Retry-After"));
        Assert.Matches($"^{emulator.Endpoint}subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/[0-9a-f-]{{36}}\\?api-version=2023-07-01$", statusUrl);
        Assert.Equal(statusUrl.Replace("?api-version", "?monitor=true&api-version", StringComparison.Ordinal), locationUrl);
        Assert.Equal("InProgress", Json(running.Body).GetProperty("status").GetString());
        Assert.Equal("600", running.Header("Retry-After"));
        Assert.Equal(202, notYet.Status);
        Assert.Equal("Succeeded", Json(done.Body).GetProperty("status").GetString());
        Assert.Equal("2030-01-02T03:14:05.0000000+00:00", Json(done.Body).GetProperty("endTime").GetString());

        // VirtualMachineInstallPatchesResult, as the specification's example spells it.
        Assert.Equal(200, result.Status);
        var body = Json(result.Body);
        Assert.Equal(
            ["status", "installationActivityId", "rebootStatus", "maintenanceWindowExceeded", "excludedPatchCount", "notSelectedPatchCount", "pendingPatchCount", "installedPatchCount", "failedPatchCount", "startDateTime", "patches", "error"],
            body.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Succeeded", body.GetProperty("status").GetString());
        Assert.Equal("Completed", body.GetProperty("rebootStatus").GetString());
        Assert.False(body.GetProperty("maintenanceWindowExceeded").GetBoolean());
        Assert.Equal(2, body.GetProperty("installedPatchCount").GetInt32());
        Assert.Equal(0, body.GetProperty("failedPatchCount").GetInt32());
        Assert.Equal("2030-01-02T03:04:05.0000000+00:00", body.GetProperty("startDateTime").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.All(body.GetProperty("patches").EnumerateArray(), p => Assert.Equal("Installed", p.GetProperty("installationState").GetString()));
    }

    [Fact]
    public async Task InstallPatches_Charged_ToUpdateVmAndItsPollsToGetOperation()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: $"\"guest\":{UnpatchedWindows}")));
        using var http = new ArmHttp(emulator);

        var accepted = await http.SendAsync(HttpMethod.Post, $"{ArmHttp.VmPath("win")}/installPatches?{ArmHttp.ApiVersion}", WindowsBody);
        var poll = await http.GetAsync(accepted.Header("Azure-AsyncOperation")!);

        Assert.Contains("Microsoft.Compute/UpdateVM", accepted.Header("x-ms-ratelimit-remaining-resource"), StringComparison.Ordinal);
        Assert.NotNull(accepted.Header("x-ms-ratelimit-remaining-subscription-writes"));
        Assert.Contains("Microsoft.Compute/GetOperation", poll.Header("x-ms-ratelimit-remaining-resource"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallPatches_WindowsThroughTheSdk_SucceedsAndTheGuestReportsTheJanuary2018Support()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: $"\"guest\":{UnpatchedWindows}")));

        var operation = await Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.IfRequired));

        Assert.Equal(PatchOperationStatus.Succeeded, operation.Value.Status);
        Assert.Equal(VmGuestPatchRebootStatus.Completed, operation.Value.RebootStatus);
        Assert.Equal(2, operation.Value.InstalledPatchCount);
        Assert.Equal(2, operation.Value.Patches.Count);
        var guest = Guest(emulator, "win");
        Assert.Equal("ok", guest.GetProperty("speculationControl").GetProperty("status").GetString());
        Assert.Equal(0x0600_0104, guest.GetProperty("speculationControl").GetProperty("flags").GetInt32());
        Assert.Equal("ok", guest.GetProperty("kvaShadow").GetProperty("status").GetString());
        Assert.Equal(2007, guest.GetProperty("product").GetProperty("ubr").GetInt32());
        Assert.NotEqual("2018-01-12T08:00:00Z", guest.GetProperty("lastBootUtc").GetString());
        var recorded = Assert.Single(emulator.InstallPatches);
        Assert.Equal("IfRequired", recorded.RebootSetting);
        Assert.Equal("PT2H", recorded.MaximumDuration);
        Assert.Equal(["Security", "Critical"], recorded.WindowsClassifications);
        Assert.Null(recorded.LinuxClassifications);
    }

    [Fact]
    public async Task InstallPatches_LinuxThroughTheSdk_VulnerableAndMissingFilesReportPatchedKernelMitigations()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("lin", "Linux", $"\"guest\":{UnpatchedLinux}")));
        var content = new VirtualMachineInstallPatchesContent(VmGuestPatchRebootSetting.IfRequired)
        {
            MaximumDuration = TimeSpan.FromHours(1),
            LinuxParameters = new LinuxParameters(),
        };
        content.LinuxParameters.ClassificationsToInclude.Add(VmGuestPatchClassificationForLinux.Security);

        var operation = await Vm(emulator, "lin").InstallPatchesAsync(WaitUntil.Completed, content);

        Assert.Equal(PatchOperationStatus.Succeeded, operation.Value.Status);
        var vulnerabilities = Guest(emulator, "lin").GetProperty("vulnerabilities");
        Assert.Equal("Mitigation: PTI", vulnerabilities.GetProperty("meltdown").GetString());
        Assert.Equal("Mitigation: usercopy/swapgs barriers and __user pointer sanitization", vulnerabilities.GetProperty("spectre_v1").GetString());
        Assert.StartsWith("Mitigation: Retpolines", vulnerabilities.GetProperty("spectre_v2").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallPatches_RebootNeverAndTheUpdateNeedsOne_RebootRequiredAndTheGuestUnchanged()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: $"\"guest\":{UnpatchedWindows}")));

        var operation = await Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.Never));

        Assert.Equal(PatchOperationStatus.Succeeded, operation.Value.Status);
        Assert.Equal(VmGuestPatchRebootStatus.Required, operation.Value.RebootStatus);
        Assert.Equal("notSupported", Guest(emulator, "win").GetProperty("speculationControl").GetProperty("status").GetString());
    }

    [Fact]
    public async Task InstallPatches_RebootNeverAndNoRebootNeeded_NotNeededAndTheFleetsPatchedGuest()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm(
            "win", extra: $"\"guest\":{UnpatchedWindows},\"installPatches\":{{\"rebootRequired\":false,\"patchedGuest\":{TestFleets.WindowsGuest}}}")));

        var operation = await Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.Never));

        Assert.Equal(VmGuestPatchRebootStatus.NotNeeded, operation.Value.RebootStatus);
        Assert.Equal(TestFleets.WindowsGuest, Guest(emulator, "win").GetRawText());
    }

    [Fact]
    public async Task InstallPatches_FailedOnRequest_ResultFailedWithTheErrorAndTheGuestUnchanged()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm(
            "win", extra: $"\"guest\":{UnpatchedWindows},\"installPatches\":{{\"failure\":\"failed\",\"errorCode\":\"PatchInstallationFailed\",\"errorMessage\":\"0x80240022 on KB4056890\"}}")));

        var operation = await Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.IfRequired));

        Assert.Equal(PatchOperationStatus.Failed, operation.Value.Status);
        Assert.Equal(0, operation.Value.InstalledPatchCount);
        Assert.Equal(2, operation.Value.FailedPatchCount);
        Assert.Equal("PatchInstallationFailed", operation.Value.Error.Code);
        Assert.Equal("0x80240022 on KB4056890", operation.Value.Error.Message);
        Assert.Equal("notSupported", Guest(emulator, "win").GetProperty("kvaShadow").GetProperty("status").GetString());
    }

    [Fact]
    public async Task InstallPatches_OperationFailedOnRequest_TheSdkThrowsTheOperationsError()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: "\"installPatches\":{\"failure\":\"operationFailed\"}")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.IfRequired)));

        Assert.Equal("InternalOperationError", error.ErrorCode);
    }

    [Fact]
    public async Task InstallPatches_ConflictOnRequest_409OperationNotAllowed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: "\"installPatches\":{\"failure\":\"conflict\"}")));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Completed, WindowsContent(VmGuestPatchRebootSetting.IfRequired)));

        Assert.Equal(409, error.Status);
        Assert.Equal("OperationNotAllowed", error.ErrorCode);
        Assert.Single(emulator.InstallPatches);
    }

    [Fact]
    public async Task InstallPatches_SecondWhileTheFirstRuns_409UntilItEnds()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(
            TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: "\"installPatches\":{\"latencyMs\":60000}")),
            new ArmEmulatorOptions { TimeProvider = clock });
        var vm = Vm(emulator, "win");

        await vm.InstallPatchesAsync(WaitUntil.Started, WindowsContent(VmGuestPatchRebootSetting.IfRequired));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.InstallPatchesAsync(WaitUntil.Started, WindowsContent(VmGuestPatchRebootSetting.IfRequired)));
        clock.Advance(TimeSpan.FromMinutes(1));
        var third = await vm.InstallPatchesAsync(WaitUntil.Started, WindowsContent(VmGuestPatchRebootSetting.IfRequired));

        Assert.Equal(409, error.Status);
        Assert.Equal("OperationNotAllowed", error.ErrorCode);
        Assert.Equal(202, third.GetRawResponse().Status);
    }

    [Fact]
    public async Task InstallPatches_LatencyOnAFakeClock_TheGuestChangesWhenTheDurationHasPassedWithoutAPoll()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(
            TestFleets.WithVirtualMachines(TestFleets.Vm("win", extra: $"\"guest\":{UnpatchedWindows}")),
            new ArmEmulatorOptions { TimeProvider = clock, InstallPatchesLatency = TimeSpan.FromMinutes(5) });

        await Vm(emulator, "win").InstallPatchesAsync(WaitUntil.Started, WindowsContent(VmGuestPatchRebootSetting.IfRequired));
        var during = Guest(emulator, "win").GetProperty("speculationControl").GetProperty("status").GetString();
        clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal("notSupported", during);
        Assert.Equal("ok", Guest(emulator, "win").GetProperty("speculationControl").GetProperty("status").GetString());
        Assert.Equal("2030-01-02T03:09:05Z", Guest(emulator, "win").GetProperty("lastBootUtc").GetString());
    }

    [Theory]
    [InlineData("""{"maximumDuration":"PT2H","rebootSetting":"IfRequired","linuxParameters":{"classificationsToInclude":["Security"]}}""", "'windowsParameters' is required")]
    [InlineData("""{"maximumDuration":"PT2H","windowsParameters":{}}""", "'rebootSetting' is required")]
    [InlineData("""{"maximumDuration":"PT5H","rebootSetting":"Never","windowsParameters":{}}""", "'maximumDuration' is required")]
    public async Task InstallPatches_BodyAzureRefuses_400InvalidParameterAndRecorded(string body, string expected)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.WithVirtualMachines(TestFleets.Vm("win")));
        using var http = new ArmHttp(emulator);

        var answer = await http.SendAsync(HttpMethod.Post, $"{ArmHttp.VmPath("win")}/installPatches?{ArmHttp.ApiVersion}", body);

        Assert.Equal(400, answer.Status);
        Assert.Equal("InvalidParameter", Json(answer.Body).GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(expected, Json(answer.Body).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(body, Assert.Single(emulator.InstallPatches).Body);
    }

    [Fact]
    public async Task InstallPatches_StoppedVm_409OperationNotAllowed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new ArmHttp(emulator);

        var answer = await http.SendAsync(HttpMethod.Post, $"{ArmHttp.VmPath("win-stopped", "rg-app")}/installPatches?{ArmHttp.ApiVersion}", WindowsBody);

        Assert.Equal(409, answer.Status);
        Assert.Equal("OperationNotAllowed", Json(answer.Body).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task InstallPatches_OnAScaleSetInstance_IsNoSuchAction()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new ArmHttp(emulator);

        var answer = await http.SendAsync(
            HttpMethod.Post,
            $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0/installPatches?{ArmHttp.ApiVersion}",
            WindowsBody);

        Assert.Equal(404, answer.Status);
        Assert.Empty(emulator.InstallPatches);
    }

    private static VirtualMachineInstallPatchesContent WindowsContent(VmGuestPatchRebootSetting reboot)
    {
        var content = new VirtualMachineInstallPatchesContent(reboot) { MaximumDuration = TimeSpan.FromHours(2), WindowsParameters = new WindowsParameters() };
        content.WindowsParameters.ClassificationsToInclude.Add(VmGuestPatchClassificationForWindows.Security);
        content.WindowsParameters.ClassificationsToInclude.Add(VmGuestPatchClassificationForWindows.Critical);
        return content;
    }

    private static JsonElement Guest(ArmEmulator emulator, string name) =>
        Assert.Single(emulator.Fleet.Subscriptions[0].VirtualMachines, v => v.Name == name).Guest!.Value;

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();

    private static VirtualMachineResource Vm(ArmEmulator emulator, string name) =>
        VirtualMachineEndpointsTests.Vm(emulator, "rg", name, ArmClientFactory.Create(emulator, maxRetries: 0));
}
