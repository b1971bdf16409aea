using System.Text.Json.Nodes;
using Compliance.Core.Guest;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Inventory;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.ResourceManager;

public sealed class ArmGuestCommandRunnerTests
{
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

    private static async Task<GuestCommandResult> RunAsync(ArmHarness harness, string name)
    {
        var machine = await MachineAsync(harness, name);
        return await harness.Runner().RunAsync(machine, GuestScripts.For(machine.Os!.Value), CancellationToken.None);
    }

    [Fact]
    public async Task RunAsync_Windows_ReturnsTheGuestsReportFromTheStdOutEntry()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows")));

        var result = await RunAsync(harness, "win");

        Assert.Null(result.Failure);
        Assert.Equal(Fleets.PatchedWindows().ToJsonString(), result.Stdout!.TrimEnd());
        Assert.Equal(string.Empty, result.Stderr);
        var report = Assert.IsType<WindowsGuestReport>(GuestReportParser.Parse(result.Stdout, OsType.Windows).Report);
        Assert.Equal(0x203Du, report.KvaShadow.Flags);
    }

    [Fact]
    public async Task RunAsync_Linux_ReturnsTheStdoutSectionOfTheSingleEntry()
    {
        var runCommand = new JsonObject { ["stderr"] = "warning: something\n[stdout]\nnot this" };
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("lin", "Linux", runCommand: runCommand)));

        var result = await RunAsync(harness, "lin");

        Assert.Equal(Fleets.Patched().ToJsonString(), result.Stdout!.TrimEnd());
        Assert.Equal("warning: something\n[stdout]\nnot this", result.Stderr);
        Assert.True(GuestReportParser.Parse(result.Stdout, OsType.Linux).Success);
    }

    [Fact]
    public async Task RunAsync_SendsTheConstantScriptWithoutParameters()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(
            Fleets.Vm("win", "Windows", tags: new JsonObject { ["x"] = "$(rm -rf /)" }),
            Fleets.Vm("lin", "Linux")));

        await RunAsync(harness, "win");
        await RunAsync(harness, "lin");

        var windows = harness.Emulator.RunCommands.Single(r => r.ResourceId.EndsWith("/win", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("RunPowerShellScript", windows.CommandId);
        Assert.Equal(GuestScripts.Windows.Lines, windows.Script);
        Assert.Empty(windows.Parameters);
        var linux = harness.Emulator.RunCommands.Single(r => r.ResourceId.EndsWith("/lin", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("RunShellScript", linux.CommandId);
        Assert.Equal(GuestScripts.Linux.Lines, linux.Script);
        Assert.Empty(linux.Parameters);
    }

    [Fact]
    public async Task RunAsync_PostsAtTheApiVersionTheComputeSdkUsesForMachines()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("lin", "Linux")));

        var result = await RunAsync(harness, "lin");

        Assert.Null(result.Failure);
        // The listing goes through the typed SDK; the Run Command must ask for the same Compute api-version.
        var listed = harness.Emulator.Requests.First(r => r.Method == "GET" && r.PathAndQuery.Contains("/providers/Microsoft.Compute/virtualMachines?", StringComparison.OrdinalIgnoreCase));
        var posted = harness.Emulator.Requests.Single(r => r.Method == "POST");
        Assert.EndsWith("/providers/Microsoft.Compute/virtualMachines/lin/runCommand?api-version=" + ApiVersion(listed.PathAndQuery), posted.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void RunCommandBody_IsSerializedOnceAndSharedByEveryRequest()
    {
        var first = RunCommandBody.For(GuestScripts.Windows);

        Assert.Same(first, RunCommandBody.For(GuestScripts.Windows));
        Assert.NotSame(first, RunCommandBody.For(GuestScripts.Linux));
        var body = JsonNode.Parse(first.ToString())!.AsObject();
        Assert.Equal(["commandId", "script"], body.Select(p => p.Key));
        Assert.Equal("RunPowerShellScript", (string?)body["commandId"]);
        Assert.Equal(GuestScripts.Windows.Lines, body["script"]!.AsArray().Select(l => (string?)l));
    }

    [Fact]
    public async Task RunAsync_ArmAnswersTheResultAtOnce_ReadsItWithoutPolling()
    {
        var result = new JsonObject
        {
            ["value"] = new JsonArray(new JsonObject { ["code"] = "ProvisioningState/succeeded", ["message"] = "Enable succeeded: \n[stdout]\n{\"ok\":1}\n[stderr]\n" }),
        };
        var requests = new List<HttpRequestMessage>();
        using var handler = new CannedHandler(request =>
        {
            requests.Add(request);
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent(result.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };
        });
        var client = new global::Azure.ResourceManager.ArmClient(
            new StaticTokenCredential("token"),
            defaultSubscriptionId: null,
            new global::Azure.ResourceManager.ArmClientOptions { Transport = new global::Azure.Core.Pipeline.HttpClientTransport(handler) });
        var runner = new ArmGuestCommandRunner(client, Microsoft.Extensions.Options.Options.Create(new ArmOptions()), TimeProvider.System, NullLogger<ArmGuestCommandRunner>.Instance);
        var machine = new Machine(
            new ResourceId("/subscriptions/00000000-0000-0000-0000-00000000000a/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"),
            ResourceKind.VirtualMachine,
            "vm",
            "westeurope",
            OsType.Linux,
            PowerState.Running,
            new Dictionary<string, string>(),
            InstanceView: null);

        var answer = await runner.RunAsync(machine, GuestScripts.Linux, CancellationToken.None);

        Assert.Null(answer.Failure);
        Assert.Equal("{\"ok\":1}", answer.Stdout!.Trim());
        Assert.Equal(HttpMethod.Post, Assert.Single(requests).Method);
    }

    [Fact]
    public async Task RunAsync_StatusCarriesTheOutput_ReadsItThereWithoutTheLocation()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows")));

        var result = await RunAsync(harness, "win");

        Assert.Equal(Fleets.PatchedWindows().ToJsonString(), result.Stdout!.TrimEnd());
        var operationRequests = harness.Emulator.Requests.Where(r => r.PathAndQuery.Contains("/operations/", StringComparison.Ordinal)).ToList();
        Assert.Single(operationRequests);
        Assert.DoesNotContain("monitor=true", operationRequests[0].PathAndQuery, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("win", "Windows")]
    [InlineData("lin", "Linux")]
    public async Task RunAsync_StatusWithoutTheOutput_TakesTheResultFromTheLocation(string name, string os)
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm(name, os)), runCommandOutputInStatus: false);

        var result = await RunAsync(harness, name);

        Assert.Null(result.Failure);
        Assert.Equal((os == "Windows" ? Fleets.PatchedWindows() : Fleets.Patched()).ToJsonString(), result.Stdout!.TrimEnd());
        var operationRequests = harness.Emulator.Requests.Where(r => r.PathAndQuery.Contains("/operations/", StringComparison.Ordinal)).Select(r => (r.Method, r.StatusCode, Monitor: r.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal))).ToList();
        Assert.Equal([("GET", 200, false), ("GET", 200, true)], operationRequests);
    }

    [Fact]
    public async Task RunAsync_ScaleSetInstanceStatusWithoutTheOutput_TakesTheResultFromTheLocation()
    {
        var scaleSets = JsonNode.Parse($$"""[ { "name": "ss", "resourceGroup": "rg", "location": "westeurope", "osType": "Linux", "instances": [ { "instanceId": "3", "guest": {{Fleets.Patched().ToJsonString()}} } ] } ]""")!.AsArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], scaleSets), runCommandOutputInStatus: false);

        var result = await RunAsync(harness, "ss_3");

        Assert.Equal(Fleets.Patched().ToJsonString(), result.Stdout!.TrimEnd());
        Assert.Contains(harness.Emulator.Requests, r => r.Method == "GET" && r.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(404, """{"error":{"code":"NotFound","message":"The operation was not found."}}""", "HTTP 404 NotFound")]
    [InlineData(500, """{"error":{"code":"InternalServerError","message":"Boom."}}""", "HTTP 500 InternalServerError")]
    [InlineData(200, "<html><body>502 Bad Gateway</body></html>", "not a Run Command result")]
    [InlineData(200, """{"status":"Succeeded"}""", "not a Run Command result")]
    [InlineData(200, """{"value":{"code":"ComponentStatus/StdOut/succeeded"}}""", "not a Run Command result")]
    [InlineData(200, "", "not a Run Command result")]
    public async Task RunAsync_StatusWithoutTheOutputAndLocationFails_CheckFailedNeverAReport(int status, string body, string expected)
    {
        await using var harness = await ArmHarness.StartAsync(
            Fleets.Of(Fleets.Vm("win", "Windows")),
            runCommandOutputInStatus: false,
            interceptor: request => request.Method == HttpMethod.Get && request.RequestUri!.Query.Contains("monitor=true", StringComparison.Ordinal)
                ? new HttpResponseMessage((System.Net.HttpStatusCode)status) { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") }
                : null);

        var result = await RunAsync(harness, "win");

        Assert.Null(result.Stdout);
        Assert.Equal(GuestCheckFailureKind.CheckFailed, result.Failure!.Kind);
        Assert.Contains(expected, result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StatusWithoutTheOutputAndNoLocation_CheckFailed()
    {
        Uri? status = null;
        await using var harness = await ArmHarness.StartAsync(
            Fleets.Of(Fleets.Vm("win", "Windows")),
            interceptor: request =>
            {
                // An accepted command with only an Azure-AsyncOperation URL, whose status ends without the output.
                status ??= new Uri(request.RequestUri!, $"/subscriptions/{Fleets.Subscription}/providers/Microsoft.Compute/locations/westeurope/operations/op-1?api-version=2023-07-01");
                if (request.Method == HttpMethod.Post)
                {
                    var accepted = new HttpResponseMessage(System.Net.HttpStatusCode.Accepted);
                    accepted.Headers.Add("Azure-AsyncOperation", status.AbsoluteUri);
                    return accepted;
                }

                return request.RequestUri == status
                    ? new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new StringContent("""{"name":"op-1","status":"Succeeded"}""", System.Text.Encoding.UTF8, "application/json") }
                    : null;
            });

        var result = await RunAsync(harness, "win");

        Assert.Equal(GuestCheckFailureKind.CheckFailed, result.Failure!.Kind);
        Assert.Contains("no Location URL", result.Failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ScaleSetInstance_UsesTheInstanceRunCommand()
    {
        var scaleSets = JsonNode.Parse($$"""[ { "name": "ss", "resourceGroup": "rg", "location": "westeurope", "osType": "Linux", "instances": [ { "instanceId": "3", "guest": {{Fleets.Patched().ToJsonString()}} } ] } ]""")!.AsArray();
        await using var harness = await ArmHarness.StartAsync(Fleets.Fleet(Fleets.Subscription, [], scaleSets));

        var result = await RunAsync(harness, "ss_3");

        Assert.Equal(Fleets.Patched().ToJsonString(), result.Stdout!.TrimEnd());
        Assert.Contains(harness.Emulator.Requests, r => r.Method == "POST" && r.PathAndQuery.Contains("/virtualMachineScaleSets/ss/virtualmachines/3/runCommand", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task RunAsync_Conflict_RetriesABoundedNumberOfTimesThenCheckFailed()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("busy", "Linux", runCommand: new JsonObject { ["failure"] = "conflict" })));

        var result = await RunAsync(harness, "busy");

        Assert.Equal(GuestCheckFailureKind.CheckFailed, result.Failure!.Kind);
        Assert.Contains("still in progress", result.Failure.Reason, StringComparison.Ordinal);
        Assert.Equal(409, result.Failure.Evidence["status"]);
        Assert.Equal("Conflict", result.Failure.Evidence["errorCode"]);
        Assert.Equal(harness.Options.RunCommandConflictRetries + 1, harness.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task RunAsync_ConflictThatClears_Succeeds()
    {
        // A first Run Command with latency keeps the VM busy; the second one gets 409 until the first completes.
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("slow", "Linux", runCommand: new JsonObject { ["latencyMs"] = 300 })), options: new()
        {
            RetryDelay = TimeSpan.FromMilliseconds(10),
            RunCommandConflictBackoff = TimeSpan.FromMilliseconds(200),
            RunCommandConflictRetries = 5,
        });
        var machine = await MachineAsync(harness, "slow");
        var runner = harness.Runner();

        var first = runner.RunAsync(machine, GuestScripts.Linux, CancellationToken.None);
        await Task.Delay(50);
        var second = await runner.RunAsync(machine, GuestScripts.Linux, CancellationToken.None);

        Assert.Null((await first).Failure);
        Assert.Null(second.Failure);
        Assert.True(harness.Emulator.RunCommands.Count >= 3, "the second command was refused at least once");
    }

    [Theory]
    [InlineData("agentNotReady")]
    [InlineData(null)]
    public async Task RunAsync_AgentDoesNotAnswer_AgentUnavailable(string? failure)
    {
        var vm = failure is null
            ? Fleets.Vm("vm", "Windows", agent: "NotReady")
            : Fleets.Vm("vm", "Windows", runCommand: new JsonObject { ["failure"] = failure });
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(vm));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(GuestCheckFailureKind.AgentUnavailable, result.Failure!.Kind);
        Assert.Equal("VMAgentStatusCommunicationError", result.Failure.Evidence["errorCode"]);
    }

    [Fact]
    public async Task RunAsync_Timeout_CheckFailedWithTheArmErrorCode()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm", "Windows", runCommand: new JsonObject { ["failure"] = "timeout", ["latencyMs"] = 20 })));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(GuestCheckFailureKind.CheckFailed, result.Failure!.Kind);
        Assert.Equal("VMExtensionProvisioningTimeout", result.Failure.Evidence["errorCode"]);
    }

    [Fact]
    public async Task RunAsync_InternalError_CheckFailedAfterTheSdkRetries()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm", "Linux", runCommand: new JsonObject { ["failure"] = "internalError" })));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(GuestCheckFailureKind.CheckFailed, result.Failure!.Kind);
        Assert.Equal(500, result.Failure.Evidence["status"]);
        Assert.Equal(harness.Options.MaxRetries + 1, harness.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task RunAsync_MachineStopped_NotRunning()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm", "Linux", power: "stopped")));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(GuestCheckFailureKind.NotRunning, result.Failure!.Kind);
    }

    [Fact]
    public async Task RunAsync_RawOutput_ReturnedAsIs_AndOnlyTheLast4096Bytes()
    {
        var raw = new string('n', 10_000) + "\n" + Fleets.Patched().ToJsonString();
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("vm", "Linux", runCommand: new JsonObject { ["rawOutput"] = raw })));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(raw[^4096..], result.Stdout);
        Assert.True(GuestReportParser.Parse(result.Stdout, OsType.Linux).Success);
    }

    [Fact]
    public async Task RunAsync_GuestPrintsNothing_EmptyStdout()
    {
        var vm = Fleets.Vm("vm", "Windows");
        vm["guest"] = null;
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(vm));

        var result = await RunAsync(harness, "vm");

        Assert.Equal(string.Empty, result.Stdout);
        Assert.False(GuestReportParser.Parse(result.Stdout).Success);
    }

    private static string ApiVersion(string pathAndQuery) =>
        pathAndQuery.Split('?', 2)[1].Split('&').Select(p => p.Split('=', 2)).Single(p => p[0] == "api-version")[1];

    private sealed class CannedHandler(Func<HttpRequestMessage, HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(answer(request));
    }
}
