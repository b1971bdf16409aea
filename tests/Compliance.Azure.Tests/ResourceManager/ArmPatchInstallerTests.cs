using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;
using Compliance.Emulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>The patch installer through the real Compute SDK and the scanner's ARM client, against the emulator.</summary>
public sealed class ArmPatchInstallerTests
{
    private static readonly PatchInstallation TwoHours = new(TimeSpan.FromHours(2), RebootSetting.IfRequired);

    // Before the January 2018 update: the kernel answers neither query.
    private static JsonObject UnpatchedWindows() => JsonNode.Parse(
        """{"schema":1,"os":"Windows","product":{"caption":"Microsoft Windows Server 2016 Datacenter","version":"10.0.14393","ubr":1884,"productType":3},"cpu":{"manufacturer":"GenuineIntel","description":"Intel64 Family 6 Model 85 Stepping 4"},"speculationControl":{"status":"notSupported"},"kvaShadow":{"status":"notSupported"},"registry":{"featureSettingsOverride":0,"featureSettingsOverrideMask":3,"minVmVersionForCpuBasedMitigations":null,"qualityCompat":0},"features":[],"lastBootUtc":"2018-01-12T08:00:00Z"}""")!.AsObject();

    [Fact]
    public async Task InstallAsync_Windows_SendsSecurityAndCriticalForWindowsAndMapsAzuresResult()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows", guest: UnpatchedWindows())));

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Succeeded", result.Status);
        Assert.True(result.Completed);
        Assert.Equal("Completed", result.RebootStatus);
        Assert.Equal(2, result.InstalledPatchCount);
        Assert.Equal(0, result.FailedPatchCount);
        Assert.False(result.MaintenanceWindowExceeded);
        Assert.True(Guid.TryParse(result.InstallationActivityId, out _));
        Assert.NotNull(result.StartedAt);
        Assert.Null(result.Error);
        var sent = Assert.Single(harness.Emulator.InstallPatches);
        Assert.Equal(Fleets.VmId("win"), sent.ResourceId);
        Assert.Equal("IfRequired", sent.RebootSetting);
        Assert.Equal("PT2H", sent.MaximumDuration);
        Assert.Equal(["Security", "Critical"], sent.WindowsClassifications);
        Assert.Null(sent.LinuxClassifications);
    }

    [Fact]
    public async Task InstallAsync_LinuxRebootNever_SendsLinuxParametersAndReportsTheRebootRequired()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("lin", "Linux", guest: Fleets.Unpatched())));

        var result = await harness.Installer().InstallAsync(Vm("lin", OsType.Linux), new PatchInstallation(TimeSpan.FromMinutes(90), RebootSetting.Never), CancellationToken.None);

        Assert.Equal("Succeeded", result.Status);
        Assert.Equal("Required", result.RebootStatus);
        var sent = Assert.Single(harness.Emulator.InstallPatches);
        Assert.Equal("Never", sent.RebootSetting);
        Assert.Equal("PT1H30M", sent.MaximumDuration);
        Assert.Equal(["Security", "Critical"], sent.LinuxClassifications);
        Assert.Null(sent.WindowsClassifications);
    }

    [Fact]
    public async Task InstallAsync_OperationRunsAWhile_PollsUntilItEndsAndTakesTheResultFromTheLocation()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows", guest: UnpatchedWindows())), installPatchesLatency: TimeSpan.FromMilliseconds(1200));

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Succeeded", result.Status);
        var polls = harness.Emulator.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/operations/", StringComparison.Ordinal)).ToList();
        Assert.Contains(polls, p => !p.PathAndQuery.Contains("monitor=true", StringComparison.Ordinal) && p.StatusCode == 200);
        Assert.Equal(200, polls.Last().StatusCode);
        Assert.Contains("monitor=true", polls.Last().PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_InstallationFailsOnRequest_FailedWithAzuresErrorOnOneLine()
    {
        var vm = Fleets.Vm("win", "Windows", guest: UnpatchedWindows());
        vm["installPatches"] = new JsonObject { ["failure"] = "failed", ["errorCode"] = "PatchInstallationFailed", ["errorMessage"] = "KB4056890 failed\nwith 0x80240022" };
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(vm));

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Failed", result.Status);
        Assert.False(result.Completed);
        Assert.Equal(2, result.FailedPatchCount);
        Assert.Equal("PatchInstallationFailed: KB4056890 failed with 0x80240022", result.Error);
    }

    [Fact]
    public async Task InstallAsync_OperationFails_FailedNotThrown()
    {
        var vm = Fleets.Vm("win", "Windows");
        vm["installPatches"] = new JsonObject { ["failure"] = "operationFailed", ["errorCode"] = "VMAgentStatusCommunicationError" };
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(vm));

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Failed", result.Status);
        Assert.StartsWith("Azure's installPatches operation failed with VMAgentStatusCommunicationError", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InstallAsync_Conflict_FailedWithTheRefusal()
    {
        var vm = Fleets.Vm("win", "Windows");
        vm["installPatches"] = new JsonObject { ["failure"] = "conflict" };
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(vm));

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Failed", result.Status);
        Assert.StartsWith("Azure refused installPatches (HTTP 409 OperationNotAllowed", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error ?? "");
        Assert.Null(result.InstallationActivityId);
    }

    [Theory]
    [InlineData(HttpStatusCode.Forbidden, "AuthorizationFailed", "HTTP 403 AuthorizationFailed")]
    [InlineData(HttpStatusCode.NotFound, "ResourceNotFound", "HTTP 404 ResourceNotFound")]
    [InlineData(HttpStatusCode.TooManyRequests, "SubscriptionRequestsThrottled", "HTTP 429 SubscriptionRequestsThrottled")]
    public async Task InstallAsync_ArmRefuses_FailedWithTheStatusAndCode(HttpStatusCode status, string code, string expected)
    {
        await using var harness = await ArmHarness.StartAsync(
            Fleets.Of(Fleets.Vm("win", "Windows")),
            interceptor: request => request.RequestUri!.AbsolutePath.EndsWith("/installPatches", StringComparison.Ordinal)
                ? new HttpResponseMessage(status) { Content = new StringContent($$$"""{"error":{"code":"{{{code}}}","message":"refused\r\nsecond line"}}""", Encoding.UTF8, "application/json") }
                : null);

        var result = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);

        Assert.Equal("Failed", result.Status);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', result.Error ?? "");
        Assert.DoesNotContain('\r', result.Error ?? "");
    }

    [Fact]
    public async Task InstallAsync_ScaleSetInstance_NotStartedWithTheReasonAndNoRequest()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows")));
        var instance = new Machine(
            new ResourceId($"/subscriptions/{Fleets.Subscription}/resourceGroups/{Fleets.ResourceGroup}/providers/Microsoft.Compute/virtualMachineScaleSets/web/virtualMachines/0"),
            ResourceKind.ScaleSetInstance, "web_0", "westeurope", OsType.Linux, PowerState.Running, new Dictionary<string, string>(), null);

        var result = await harness.Installer().InstallAsync(instance, TwoHours, CancellationToken.None);

        Assert.Equal("Failed", result.Status);
        Assert.Contains("not available for scale-set instances", result.Error, StringComparison.Ordinal);
        Assert.Empty(harness.Emulator.Requests);
    }

    [Fact]
    public async Task InstallAsync_Cancelled_Throws()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows")), installPatchesLatency: TimeSpan.FromMinutes(10));
        using var cancellation = new CancellationTokenSource();
        var installing = harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, cancellation.Token);
        await Eventually.HoldsAsync(() => harness.Emulator.InstallPatches.Count == 1, TimeSpan.FromSeconds(30), "the installation was accepted");

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => installing);
    }

    [Fact]
    public async Task InstallAsync_WriteBucketSmallerThanTheBurst_EveryInstallationPacedOrRetriedToSuccess()
    {
        const int machines = 8;
        var clock = new ScaledTimeProvider(DateTimeOffset.UtcNow, factor: 20);
        var fleet = FleetDocument.Parse(Fleets.Of(Enumerable.Range(0, machines).Select(i => Fleets.Vm($"vm-{i}", "Windows", guest: UnpatchedWindows())).ToArray()), "burst");
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions
        {
            TimeProvider = clock,
            Limits = new RateLimitOptions { Writes = TokenBucketLimit.PerSecond(2, 1) },
            InstallPatchesLatency = TimeSpan.FromSeconds(30),
        });
        var statistics = new ArmRequestStatistics();
        var options = new ArmOptions { Endpoint = emulator.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(100) };
        // The client assumes Azure's write rate, far above this bucket's: only the answers' headers and 429s can slow it.
        var client = ComplianceArmClientFactory.Create(options, new StaticTokenCredential(emulator.AccessToken), emulator.Certificate, clock, statistics);
        var installer = new ArmPatchInstaller(client, clock, NullLogger<ArmPatchInstaller>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, machines).Select(i => installer.InstallAsync(Vm($"vm-{i}", OsType.Windows), TwoHours, CancellationToken.None)));

        Assert.All(results, r => Assert.Equal("Succeeded", r.Status));
        Assert.Equal(machines, emulator.InstallPatches.Count);
        Assert.Equal(emulator.Throttled, statistics.Throttled);
        Assert.Equal(machines + statistics.Throttled - emulator.Requests.Count(r => r.Method == "GET" && r.StatusCode == 429), statistics.Sent[ArmRequestKind.Write]);
    }

    [Fact]
    public async Task InstallAsync_ThenTheNextCheck_NoLongerFindsTheGuestUpdateMissing()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(
            Fleets.Vm("win", "Windows", guest: UnpatchedWindows()),
            Fleets.Vm("lin", "Linux", guest: Fleets.Unpatched())));
        var (before, _) = await harness.ScanAsync();

        var windows = await harness.Installer().InstallAsync(Vm("win", OsType.Windows), TwoHours, CancellationToken.None);
        var linux = await harness.Installer().InstallAsync(Vm("lin", OsType.Linux), TwoHours, CancellationToken.None);
        var (after, errors) = await harness.ScanAsync();

        Assert.Equal("Succeeded", windows.Status);
        Assert.Equal("Succeeded", linux.Status);
        Assert.Empty(errors);
        Assert.All(before, a => Assert.Contains(a.Findings, f => f.Code == FindingCode.GuestUpdateMissing));
        Assert.Equal(2, after.Count);
        Assert.All(after, a => Assert.DoesNotContain(a.Findings, f => f.Code == FindingCode.GuestUpdateMissing));
        Assert.All(after, a => Assert.DoesNotContain(RemediationAction.GuestUpdate, a.Actions));
    }

    [Fact]
    public async Task InstallAsync_ThePost_CarriesTheMachinesRegionForComputesPerRegionBucket()
    {
        await using var harness = await ArmHarness.StartAsync(Fleets.Of(Fleets.Vm("win", "Windows")));
        var regions = new System.Collections.Concurrent.ConcurrentQueue<(string Method, string? Region)>();
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(harness.Emulator.Endpoint, harness.Options.Audience),
            Transport = new HttpClientTransport(PinnedCertificateHandler.Create(harness.Emulator.Certificate)),
        };
        options.AddPolicy(new RegionProbe(regions), HttpPipelinePosition.PerCall);
        var client = new ArmClient(new StaticTokenCredential(harness.Emulator.AccessToken), defaultSubscriptionId: null, options);
        var machine = Vm("win", OsType.Windows) with { Location = "swedencentral" };

        var result = await new ArmPatchInstaller(client, TimeProvider.System, NullLogger<ArmPatchInstaller>.Instance).InstallAsync(machine, TwoHours, CancellationToken.None);

        Assert.Equal("Succeeded", result.Status);
        Assert.Contains(("POST", "swedencentral"), regions);
    }

    private static Machine Vm(string name, OsType os) => new(
        new ResourceId(Fleets.VmId(name)), ResourceKind.VirtualMachine, name, "westeurope", os, PowerState.Running, new Dictionary<string, string>(), null);

    private sealed class RegionProbe(System.Collections.Concurrent.ConcurrentQueue<(string Method, string? Region)> seen) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message) =>
            seen.Enqueue((message.Request.Method.Method, message.TryGetProperty(ArmRateGovernor.RegionProperty, out var region) ? region as string : null));
    }
}
