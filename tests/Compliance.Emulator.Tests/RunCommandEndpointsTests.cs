using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class RunCommandEndpointsTests
{
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task RunCommand_WindowsVm_ReturnsStdOutAndStdErrEntries()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var operation = await Vm(emulator, "win-ok", "rg-rds").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));

        Assert.True(operation.HasCompleted);
        var value = operation.Value.Value;
        Assert.Equal(2, value.Count);
        Assert.Equal("ComponentStatus/StdOut/succeeded", value[0].Code);
        Assert.Equal(ComputeStatusLevelType.Info, value[0].Level);
        Assert.Equal("Provisioning succeeded", value[0].DisplayStatus);
        Assert.Equal(TestFleets.WindowsGuest + "\n", value[0].Message);
        Assert.Equal("ComponentStatus/StdErr/succeeded", value[1].Code);
        Assert.Equal("Provisioning succeeded", value[1].DisplayStatus);
        Assert.Equal("", value[1].Message);
    }

    [Fact]
    public async Task RunCommand_LinuxVm_ReturnsOneEntryWithBothStreams()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var operation = await Vm(emulator, "linux-ok").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript"));

        var status = Assert.Single(operation.Value.Value);
        Assert.Equal("ProvisioningState/succeeded", status.Code);
        Assert.Equal("Provisioning succeeded", status.DisplayStatus);
        Assert.Equal($"Enable succeeded: \n[stdout]\n{TestFleets.LinuxGuest}\n\n[stderr]\nwarning: something", status.Message);
    }

    [Fact]
    public async Task RunCommand_GuestNull_PrintsNothing()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var operation = await Vm(emulator, "linux-noguest").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript"));

        Assert.Equal("Enable succeeded: \n[stdout]\n\n[stderr]\n", Assert.Single(operation.Value.Value).Message);
    }

    [Fact]
    public async Task RunCommand_RawOutputOf10000Bytes_ReturnsItsLast4096Bytes()
    {
        var raw = string.Concat(Enumerable.Range(0, 1000).Select(i => $"line{i:D5}\n"));
        Assert.Equal(10000, Encoding.UTF8.GetByteCount(raw));
        var fleet = TestFleets.WithVirtualMachines(TestFleets.Vm("raw", extra: $"\"runCommand\":{{\"rawOutput\":{JsonSerializer.Serialize(raw)}}}"));
        await using var emulator = await ArmEmulator.StartAsync(fleet);

        var operation = await Vm(emulator, "raw", "rg").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));

        Assert.Equal(raw[^4096..], operation.Value.Value[0].Message);
    }

    [Fact]
    public async Task RunCommand_MultiByteCharacterSplitAtCut_DropsTheCharacter()
    {
        var raw = "é" + new string('a', 4095);
        var fleet = TestFleets.WithVirtualMachines(TestFleets.Vm("raw", "Linux", $"\"runCommand\":{{\"rawOutput\":{JsonSerializer.Serialize(raw)},\"stderr\":\"€€\"}}"));
        await using var emulator = await ArmEmulator.StartAsync(fleet);

        var operation = await Vm(emulator, "raw", "rg").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript"));

        Assert.Equal($"Enable succeeded: \n[stdout]\n{new string('a', 4095)}\n[stderr]\n€€", Assert.Single(operation.Value.Value).Message);
    }

    [Fact]
    public async Task RunCommand_ConflictFailure_Returns409ConflictWithArmMessage()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "win-conflict").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(409, error.Status);
        Assert.Equal("Conflict", error.ErrorCode);
        Assert.StartsWith("Run command extension execution is in progress. Please wait for completion before invoking a run command.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_InternalErrorFailure_Returns500InternalExecutionError()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "win-internal").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalExecutionError", error.ErrorCode);
        Assert.StartsWith("An internal execution error occurred. Please retry later.", error.Message, StringComparison.Ordinal);
        Assert.Single(emulator.RunCommands);
    }

    [Theory]
    [InlineData("win-timeout", "RunPowerShellScript", "RunCommandWindows")]
    [InlineData("linux-timeout", "RunShellScript", "RunCommandLinux")]
    public async Task RunCommand_TimeoutFailure_FailsOperationWithExtensionTimeout(string vm, string commandId, string extension)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, vm).RunCommandAsync(WaitUntil.Completed, new RunCommandInput(commandId)));

        Assert.Equal(200, error.Status);
        Assert.Equal("VMExtensionProvisioningTimeout", error.ErrorCode);
        Assert.StartsWith(
            $"Provisioning of VM extension '{extension}' has timed out. Extension installation may be taking too long, or extension status could not be obtained.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("win-agentfail")]
    [InlineData("win-notready")]
    public async Task RunCommand_AgentNotReporting_FailsOperationWithAgentCommunicationError(string vm)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, vm).RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(200, error.Status);
        Assert.Equal("VMAgentStatusCommunicationError", error.ErrorCode);
        Assert.StartsWith(
            $"VM '{vm}' has not reported status for VM agent or extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it can establish outbound connections to Azure storage.",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("win-stopped")]
    [InlineData("win-deallocated")]
    public async Task RunCommand_MachineNotRunning_Returns409OperationNotAllowed(string vm)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, vm).RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(409, error.Status);
        Assert.Equal("OperationNotAllowed", error.ErrorCode);
        Assert.StartsWith($"Operation 'RunCommand' is not allowed on VM '{vm}' since the VM is not running.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("win-ok", "rg-rds", "RunShellScript")]
    [InlineData("linux-ok", "rg-app", "RunPowerShellScript")]
    [InlineData("linux-ok", "rg-app", "ifconfig")]
    public async Task RunCommand_CommandIdOfOtherOs_Returns404NotFound(string vm, string resourceGroup, string commandId)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, vm, resourceGroup).RunCommandAsync(WaitUntil.Completed, new RunCommandInput(commandId)));

        Assert.Equal(404, error.Status);
        Assert.Equal("NotFound", error.ErrorCode);
        Assert.StartsWith("The entity was not found in this Azure location.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunCommand_UnknownMachine_Returns404ResourceNotFoundAndIsRecorded()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "ghost").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript") { Script = { "uname -a" } }));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        var recorded = Assert.Single(emulator.RunCommands);
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/ghost", recorded.ResourceId);
        Assert.Equal(["uname -a"], recorded.Script);
    }

    [Fact]
    public async Task RunCommand_SecondWhileFirstRuns_Returns409ConflictUntilFirstCompletes()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock });
        var vm = Vm(emulator, "win-slow");

        var first = await vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript")));
        clock.Advance(TimeSpan.FromMilliseconds(1500));
        var third = await vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));

        Assert.False(first.HasCompleted);
        Assert.Equal(409, error.Status);
        Assert.Equal("Conflict", error.ErrorCode);
        Assert.Equal(202, third.GetRawResponse().Status);
        Assert.Equal(3, emulator.RunCommands.Count);
        Assert.Equal(2, emulator.Operations.Count);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RunCommand_OutputInStatusOnOrOff_LocationAnswersTheResultEitherWay(bool outputInStatus)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { RunCommandOutputInStatus = outputInStatus });
        using var http = new ArmHttp(emulator);

        var accepted = await http.RunCommandAsync(ArmHttp.VmPath("win-ok", "rg-rds"));
        var status = await http.GetAsync(accepted.Header("Azure-AsyncOperation")!);
        var final = await http.GetAsync(accepted.Header("Location")!);

        var statusBody = JsonDocument.Parse(status.Body).RootElement;
        Assert.Equal("Succeeded", statusBody.GetProperty("status").GetString());
        Assert.Equal(outputInStatus, statusBody.TryGetProperty("properties", out _));
        Assert.Equal(200, final.Status);
        var value = JsonDocument.Parse(final.Body).RootElement.GetProperty("value");
        Assert.Equal("ComponentStatus/StdOut/succeeded", value[0].GetProperty("code").GetString());
        Assert.Equal(TestFleets.WindowsGuest + "\n", value[0].GetProperty("message").GetString());
        if (outputInStatus)
        {
            Assert.Equal(value.GetRawText(), statusBody.GetProperty("properties").GetProperty("output").GetProperty("value").GetRawText());
        }

        // The SDK's own long-running operation takes the final result from the Location URL (final-state-via).
        var operation = await Vm(emulator, "win-ok", "rg-rds").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        Assert.Equal(TestFleets.WindowsGuest + "\n", operation.Value.Value[0].Message);
    }

    [Fact]
    public async Task RunCommand_Latency_CompletesOnlyWhenLatencyHasPassed()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock });

        var operation = await Vm(emulator, "win-slow").RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));
        var accepted = operation.GetRawResponse();
        await operation.UpdateStatusAsync();
        var pendingAtStart = !operation.HasCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1499));
        await operation.UpdateStatusAsync();
        var pendingJustBefore = !operation.HasCompleted;
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await operation.UpdateStatusAsync();

        Assert.Equal(202, accepted.Status);
        Assert.True(accepted.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("2", retryAfter);
        Assert.True(accepted.Headers.TryGetValue("retry-after-ms", out var retryAfterMs));
        Assert.Equal("1500", retryAfterMs);
        Assert.True(accepted.Headers.TryGetValue("Azure-AsyncOperation", out var asyncOperation));
        Assert.Equal(
            $"{emulator.Endpoint}subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/{emulator.Operations[0].Id}?api-version=2023-07-01",
            asyncOperation);
        Assert.True(accepted.Headers.TryGetValue("Location", out var location));
        Assert.Equal($"{asyncOperation![..asyncOperation.IndexOf('?', StringComparison.Ordinal)]}?monitor=true&api-version=2023-07-01", location);
        Assert.True(pendingAtStart);
        Assert.True(pendingJustBefore);
        Assert.True(operation.HasCompleted);
        Assert.Equal(TestFleets.WindowsGuest + "\n", operation.Value.Value[0].Message);
    }

    [Fact]
    public async Task RunCommand_FleetGivesNoLatency_RunsForTheEmulatorsDefaultAndPollsSayHowLongIsLeft()
    {
        var clock = new FakeTimeProvider(_start);
        var options = new ArmEmulatorOptions { TimeProvider = clock, RunCommandLatency = TimeSpan.FromSeconds(20) };
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), options);
        using var http = new ArmHttp(emulator);
        var vm = $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok";

        var accepted = await http.RunCommandAsync(vm);
        clock.Advance(TimeSpan.FromSeconds(19.5));
        var running = await http.GetAsync(accepted.Header("Azure-AsyncOperation")!);
        var runningMonitor = await http.GetAsync(accepted.Header("Location")!);
        clock.Advance(TimeSpan.FromSeconds(0.5));
        var done = await http.GetAsync(accepted.Header("Azure-AsyncOperation")!);

        Assert.Equal((202, "20", "20000"), (accepted.Status, accepted.Header("Retry-After"), accepted.Header("retry-after-ms")));
        Assert.Equal((200, "1", "500"), (running.Status, running.Header("Retry-After"), running.Header("retry-after-ms")));
        Assert.Contains("\"InProgress\"", running.Body, StringComparison.Ordinal);
        Assert.Equal((202, "1", "500"), (runningMonitor.Status, runningMonitor.Header("Retry-After"), runningMonitor.Header("retry-after-ms")));
        Assert.Equal(200, done.Status);
        Assert.Contains("\"Succeeded\"", done.Body, StringComparison.Ordinal);
        Assert.Equal(_start + TimeSpan.FromSeconds(20), emulator.Operations[0].CompletesAt);
    }

    [Fact]
    public async Task RunCommand_FleetGivesALatency_KeepsItOverTheEmulatorsDefault()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock, RunCommandLatency = TimeSpan.FromSeconds(20) });

        var operation = await Vm(emulator, "win-slow").RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));

        Assert.True(operation.GetRawResponse().Headers.TryGetValue("retry-after-ms", out var retryAfterMs));
        Assert.Equal("1500", retryAfterMs);
        Assert.Equal(_start + TimeSpan.FromMilliseconds(1500), emulator.Operations[0].CompletesAt);
    }

    [Fact]
    public async Task RunCommand_DefaultLatencyWhileRunning_SecondCommandGets409()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock, RunCommandLatency = TimeSpan.FromSeconds(20) });
        var vm = Vm(emulator, "win-ok", "rg-rds");

        await vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(409, error.Status);
    }

    [Fact]
    public async Task StartAsync_NegativeRunCommandLatency_ThrowsArgumentOutOfRange()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { RunCommandLatency = TimeSpan.FromSeconds(-1) }));
    }

    [Fact]
    public async Task RunCommand_LatencyOnRealClock_SdkWaitsAtLeastTheLatency()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var vm = Vm(emulator, "win-slow");
        var started = TimeProvider.System.GetTimestamp();

        var operation = await vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));

        Assert.True(TimeProvider.System.GetElapsedTime(started) >= TimeSpan.FromMilliseconds(1500));
        Assert.Equal(2, operation.Value.Value.Count);
        var polls = emulator.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Contains(polls, p => p.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunCommand_ScriptAndParameters_AreRecorded()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = clock });
        var input = new RunCommandInput("RunPowerShellScript") { Script = { "$x = 1", "Write-Output $x" } };
        input.Parameters.Add(new RunCommandInputParameter("mode", "full"));
        input.Parameters.Add(new RunCommandInputParameter("level", "2"));

        await Vm(emulator, "win-ok", "rg-rds").RunCommandAsync(WaitUntil.Completed, input);

        var recorded = Assert.Single(emulator.RunCommands);
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok", recorded.ResourceId);
        Assert.Equal("RunPowerShellScript", recorded.CommandId);
        Assert.Equal(["$x = 1", "Write-Output $x"], recorded.Script);
        Assert.Equal([new KeyValuePair<string, string>("mode", "full"), new KeyValuePair<string, string>("level", "2")], recorded.Parameters);
        Assert.Equal(_start, recorded.At);
    }

    [Fact]
    public async Task RunCommand_MachineStoppedAtRunTime_Returns409OperationNotAllowed()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        emulator.UpdateFleet(fleet => new FleetDocument
        {
            Subscriptions = fleet.Subscriptions.Select(s => s with
            {
                VirtualMachines = s.VirtualMachines.Select(vm => vm.Name == "linux-ok" ? vm with { PowerState = FleetPowerState.Stopping } : vm).ToList(),
            }).ToList(),
            CloudServiceOsVersions = fleet.CloudServiceOsVersions,
        });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            Vm(emulator, "linux-ok").RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript")));

        Assert.Equal("OperationNotAllowed", error.ErrorCode);
        Assert.Equal(FleetPowerState.Stopping, emulator.Fleet.Subscriptions[0].VirtualMachines.Single(vm => vm.Name == "linux-ok").PowerState);
    }

    [Fact]
    public async Task RunCommand_MalformedBody_Returns400InvalidRequestContent()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        using var http = new HttpClient(ArmClientFactory.PinnedHandler(emulator));
        var target = new Uri(emulator.Endpoint, $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/linux-ok/runCommand?api-version=2023-07-01");
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new StringContent("{\"script\":[1]}", Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", emulator.AccessToken);

        using var response = await http.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidRequestContent", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        var recorded = Assert.Single(emulator.RunCommands);
        Assert.Equal("", recorded.CommandId);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("{\"script\":[1]}"))), recorded.BodySha256);
    }

    private static VirtualMachineResource Vm(ArmEmulator emulator, string name, string resourceGroup = "rg-app") =>
        VirtualMachineEndpointsTests.Vm(emulator, resourceGroup, name, ArmClientFactory.Create(emulator, maxRetries: 0));
}
