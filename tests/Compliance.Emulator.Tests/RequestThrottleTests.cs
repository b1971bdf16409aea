using System.Globalization;
using System.Text.Json.Nodes;
using Azure;
using Azure.ResourceManager.Compute.Models;
using Compliance.Emulator.Arm;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class RequestThrottleTests
{
    private const string ResourceHeader = "x-ms-ratelimit-remaining-resource";
    private const string ReadsHeader = "x-ms-ratelimit-remaining-subscription-reads";
    private const string WritesHeader = "x-ms-ratelimit-remaining-subscription-writes";
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task SubscriptionReads_BurstOf250Spent_NextGets429UntilATokenIsBack()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await StartAsync(clock, new RateLimitOptions());
        using var http = new ArmHttp(emulator);
        var path = $"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01";

        var remaining = new List<string?>();
        for (var i = 0; i < 250; i++)
        {
            var answer = await http.GetAsync(path);
            Assert.Equal(200, answer.Status);
            remaining.Add(answer.Header(ReadsHeader));
        }

        var refused = await http.GetAsync(path);
        clock.Advance(TimeSpan.FromMilliseconds(39));
        var stillRefused = await http.GetAsync(path);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var admitted = await http.GetAsync(path);

        Assert.Equal(Enumerable.Range(0, 250).Select(i => (249 - i).ToString(CultureInfo.InvariantCulture)), remaining);
        Assert.Equal(429, refused.Status);
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Null(refused.Header("retry-after-ms"));
        Assert.Equal("0", refused.Header(ReadsHeader));
        Assert.Null(refused.Header(ResourceHeader));
        Assert.Equal("application/json; charset=utf-8", refused.Header("Content-Type"));
        AssertJson(
            $$$"""{"error":{"code":"SubscriptionRequestsThrottled","message":"Number of 'read' requests for subscription '{{{TestFleets.SubscriptionId}}}' actor '{{{ThrottledResult.PrincipalId}}}' exceeded. Please try again after '1' seconds."}}""",
            refused.Body);
        Assert.Equal(429, stillRefused.Status);
        Assert.Equal(200, admitted.Status);
        Assert.Equal("0", admitted.Header(ReadsHeader));
        Assert.Equal(2, emulator.Throttled);
        Assert.Equal(new Dictionary<string, int> { ["SubscriptionReads"] = 2 }, emulator.ThrottledByPolicy);
        Assert.Equal(253, emulator.RequestCount);
        Assert.Equal(2, emulator.Requests.Count(r => r.StatusCode == 429));
    }

    [Theory]
    [InlineData("POST", "write", "SubscriptionWrites", WritesHeader)]
    [InlineData("PUT", "write", "SubscriptionWrites", WritesHeader)]
    [InlineData("PATCH", "write", "SubscriptionWrites", WritesHeader)]
    [InlineData("DELETE", "delete", "SubscriptionDeletes", "x-ms-ratelimit-remaining-subscription-deletes")]
    public async Task WritesAndDeletes_BucketSpent_429NamesTheOperation(string method, string operation, string policy, string header)
    {
        var limits = new RateLimitOptions { Writes = TokenBucketLimit.PerSecond(3, 1), Deletes = TokenBucketLimit.PerSecond(3, 1) };
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), limits);
        using var http = new ArmHttp(emulator);
        var path = $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/data?api-version=2023-01-01";

        var answers = new List<ArmAnswer>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add(await http.SendAsync(new HttpMethod(method), path, method == "DELETE" ? null : "{}"));
        }

        Assert.Equal([404, 404, 404, 429], answers.Select(a => a.Status));
        Assert.Equal(["2", "1", "0", "0"], answers.Select(a => a.Header(header)));
        Assert.Null(answers[0].Header(ReadsHeader));
        Assert.Equal("1", answers[3].Header("Retry-After"));
        AssertJson(
            $$$"""{"error":{"code":"SubscriptionRequestsThrottled","message":"Number of '{{{operation}}}' requests for subscription '{{{TestFleets.SubscriptionId}}}' actor '{{{ThrottledResult.PrincipalId}}}' exceeded. Please try again after '1' seconds."}}""",
            answers[3].Body);
        Assert.Equal(new Dictionary<string, int> { [policy] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task TenantReads_ListOfSubscriptions_CountsAgainstTheTenantBucket()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), new RateLimitOptions { Reads = TokenBucketLimit.PerSecond(2, 1) });
        using var http = new ArmHttp(emulator);

        var first = await http.GetAsync("subscriptions?api-version=2022-12-01");
        var second = await http.GetAsync("subscriptions?api-version=2022-12-01");
        var refused = await http.GetAsync("subscriptions?api-version=2022-12-01");
        var subscription = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");

        Assert.Equal(("1", "0"), (first.Header("x-ms-ratelimit-remaining-tenant-reads"), second.Header("x-ms-ratelimit-remaining-tenant-reads")));
        Assert.Null(first.Header(ReadsHeader));
        Assert.Equal(429, refused.Status);
        AssertJson(
            $$$"""{"error":{"code":"TenantRequestsThrottled","message":"Number of 'read' requests for tenant '{{{ArmJson.TenantId}}}' actor '{{{ThrottledResult.PrincipalId}}}' exceeded. Please try again after '1' seconds."}}""",
            refused.Body);
        Assert.Equal((200, "1"), (subscription.Status, subscription.Header(ReadsHeader)));
        Assert.Equal(new Dictionary<string, int> { ["TenantReads"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task RunCommand_ThirteenOnOneVmWithinAMinute_ThirteenthGets429FromTheVmBucketAndTakesNoToken()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), new RateLimitOptions());
        using var http = new ArmHttp(emulator);

        var accepted = new List<ArmAnswer>();
        for (var i = 0; i < 12; i++)
        {
            accepted.Add(await http.RunCommandAsync(ArmHttp.VmPath("vm-a")));
        }

        var refused = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        var otherVm = await http.RunCommandAsync(ArmHttp.VmPath("vm-b"));

        Assert.All(accepted, a => Assert.Equal(202, a.Status));
        Assert.Equal(
            Enumerable.Range(0, 12).Select(i => $"Microsoft.Compute/UpdateVMSubscriptionMaximum;{1499 - i},Microsoft.Compute/UpdateVMResource;{11 - i}"),
            accepted.Select(a => a.Header(ResourceHeader)));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => (199 - i).ToString(CultureInfo.InvariantCulture)), accepted.Select(a => a.Header(WritesHeader)));
        Assert.Equal(429, refused.Status);
        Assert.Equal("15", refused.Header("Retry-After"));
        Assert.Equal("188", refused.Header(WritesHeader));
        Assert.Equal("Microsoft.Compute/UpdateVMSubscriptionMaximum;1488,Microsoft.Compute/UpdateVMResource;0", refused.Header(ResourceHeader));
        var body = JsonNode.Parse(refused.Body)!;
        Assert.Equal("OperationNotAllowed", body["code"]!.GetValue<string>());
        Assert.Equal("The server rejected the request because too many requests have been received for this subscription.", body["message"]!.GetValue<string>());
        var detail = Assert.Single(body["details"]!.AsArray())!;
        Assert.Equal(("TooManyRequests", "UpdateVMResource"), (detail["code"]!.GetValue<string>(), detail["target"]!.GetValue<string>()));
        AssertJson(
            """{"operationGroup":"UpdateVMResource","startTime":"2030-01-02T03:04:05.0000000+00:00","endTime":"2030-01-02T03:04:20.0000000+00:00","allowedRequestCount":12,"measuredRequestCount":13}""",
            detail["message"]!.GetValue<string>());

        // The refused command took no token and started nothing; the subscription's buckets still serve other VMs.
        Assert.Equal(202, otherVm.Status);
        Assert.Equal("187", otherVm.Header(WritesHeader));
        Assert.Equal("Microsoft.Compute/UpdateVMSubscriptionMaximum;1487,Microsoft.Compute/UpdateVMResource;11", otherVm.Header(ResourceHeader));
        Assert.Equal(13, emulator.Operations.Count);
        Assert.Equal(13, emulator.RunCommands.Count);
        Assert.Equal(new Dictionary<string, int> { ["UpdateVMResource"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task RunCommand_VmBucketEmpty_AdmittedAgainOnceFourPerMinuteBringsATokenBack()
    {
        var clock = new FakeTimeProvider(_start);
        await using var emulator = await StartAsync(clock, new RateLimitOptions());
        using var http = new ArmHttp(emulator);
        for (var i = 0; i < 12; i++)
        {
            Assert.Equal(202, (await http.RunCommandAsync(ArmHttp.VmPath("vm-a"))).Status);
        }

        clock.Advance(TimeSpan.FromSeconds(14));
        var early = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        clock.Advance(TimeSpan.FromSeconds(1));
        var onTime = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        var next = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));

        Assert.Equal((429, "1"), (early.Status, early.Header("Retry-After")));
        Assert.Equal(202, onTime.Status);
        Assert.EndsWith("Microsoft.Compute/UpdateVMResource;0", onTime.Header(ResourceHeader), StringComparison.Ordinal);
        Assert.Equal((429, "15"), (next.Status, next.Header("Retry-After")));
    }

    [Fact]
    public async Task RunCommand_ThroughSdkWithoutRetries_ThirteenthThrowsRequestFailed429()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), new RateLimitOptions());
        var vm = VirtualMachineEndpointsTests.Vm(emulator, "rg", "vm-a", ArmClientFactory.Create(emulator, maxRetries: 0));
        for (var i = 0; i < 12; i++)
        {
            await vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript"));
        }

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.RunCommandAsync(WaitUntil.Started, new RunCommandInput("RunPowerShellScript")));

        Assert.Equal(429, error.Status);
        Assert.True(error.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.Equal("15", retryAfter);
        Assert.Equal(12, emulator.Operations.Count);
    }

    [Fact]
    public async Task RunCommand_ArmWritesSpent_ThrottledPostStartsNoOperationAndIsNotRecorded()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), new RateLimitOptions { Writes = TokenBucketLimit.PerSecond(1, 1) });
        using var http = new ArmHttp(emulator);

        var first = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        var refused = await http.RunCommandAsync(ArmHttp.VmPath("vm-b"));

        Assert.Equal((202, 429), (first.Status, refused.Status));
        Assert.Equal("0", refused.Header(WritesHeader));

        // ARM refused it at the front door: Microsoft.Compute never saw it, so it reports no Compute bucket.
        Assert.Null(refused.Header(ResourceHeader));
        Assert.StartsWith("Number of 'write' requests", JsonNode.Parse(refused.Body)!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(emulator.Operations);
        Assert.Equal(ArmHttp.VmPath("vm-a"), Assert.Single(emulator.RunCommands).ResourceId.TrimStart('/'));
    }

    [Fact]
    public async Task LowCostGet_SubscriptionBucketOfOneRegionSpent_OtherRegionIsServed()
    {
        var limits = new RateLimitOptions
        {
            LowCostGet = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(2, 1), Resource = TokenBucketLimit.PerMinute(36, 12) },
        };
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), limits);
        using var http = new ArmHttp(emulator);

        var a = await http.GetAsync($"{ArmHttp.VmPath("vm-a")}?{ArmHttp.ApiVersion}");
        var b = await http.GetAsync($"{ArmHttp.VmPath("vm-b")}?{ArmHttp.ApiVersion}");
        var refused = await http.GetAsync($"{ArmHttp.VmPath("vm-a")}/instanceView?{ArmHttp.ApiVersion}");
        var north = await http.GetAsync($"{ArmHttp.VmPath("vm-n", "rg-north")}?{ArmHttp.ApiVersion}");

        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;1,Microsoft.Compute/LowCostGetResource;35", a.Header(ResourceHeader));
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;0,Microsoft.Compute/LowCostGetResource;35", b.Header(ResourceHeader));
        Assert.Equal((429, "60"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("LowCostGetSubscriptionMaximum", JsonNode.Parse(refused.Body)!["details"]![0]!["target"]!.GetValue<string>());
        Assert.Equal(200, north.Status);
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;1,Microsoft.Compute/LowCostGetResource;35", north.Header(ResourceHeader));
    }

    [Theory]
    [InlineData("providers/Microsoft.Compute/virtualMachines", "Microsoft.Compute/HighCostGetSubscriptionMaximum;899")]
    [InlineData("resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines", "Microsoft.Compute/HighCostGetSubscriptionMaximum;899")]
    [InlineData("resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok", "Microsoft.Compute/LowCostGetSubscriptionMaximum;23999,Microsoft.Compute/LowCostGetResource;35")]
    [InlineData("resourceGroups/RG-RDS/providers/microsoft.compute/VIRTUALMACHINES/win-ok/instanceView", "Microsoft.Compute/LowCostGetSubscriptionMaximum;23999,Microsoft.Compute/LowCostGetResource;35")]
    [InlineData("providers/Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1079")]
    [InlineData("resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets", "Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1079")]
    [InlineData("resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines", "Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1079,Microsoft.Compute/HighCostGetVMScaleSetResource;29")]
    [InlineData("resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/7", "Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;5999,Microsoft.Compute/GetVMScaleSetVMResource;35")]
    [InlineData("resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0/instanceView", "Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;5999,Microsoft.Compute/GetVMScaleSetVMResource;35")]
    [InlineData("resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss", "Microsoft.Compute/GetVMScaleSetSubscriptionMaximum;2399,Microsoft.Compute/GetVMScaleSetResource;35")]
    [InlineData("resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api", null)]
    [InlineData("resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api/roleInstances", null)]
    [InlineData("providers/Microsoft.Compute/locations/westeurope/cloudServiceOsVersions", null)]
    [InlineData("resourceGroups", null)]
    [InlineData("resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/ghost", null)]
    public async Task AnyGet_UnderSubscription_CarriesReadsAndTheComputePoliciesItDrewFrom(string path, string? resourceHeader)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Limits = new RateLimitOptions() });
        using var http = new ArmHttp(emulator);

        var answer = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/{path}?{ArmHttp.ApiVersion}");

        Assert.Equal(path.EndsWith("ghost", StringComparison.Ordinal) ? 404 : 200, answer.Status);
        Assert.Equal("249", answer.Header(ReadsHeader));
        Assert.Equal(resourceHeader, answer.Header(ResourceHeader));
    }

    [Fact]
    public async Task RemainingHeaders_RepeatedCalls_CountDownPerBucket()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Limits = new RateLimitOptions() });
        using var http = new ArmHttp(emulator);
        var vm = $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok";

        var first = await http.GetAsync($"{vm}?{ArmHttp.ApiVersion}");
        var second = await http.GetAsync($"{vm}/instanceView?{ArmHttp.ApiVersion}");
        var run = await http.RunCommandAsync(vm);
        var poll = await http.GetAsync(run.Header("Location")!);
        var otherVm = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/win-stopped?{ArmHttp.ApiVersion}");

        Assert.Equal(("249", "248", "199", "247", "246"), (first.Header(ReadsHeader), second.Header(ReadsHeader), run.Header(WritesHeader), poll.Header(ReadsHeader), otherVm.Header(ReadsHeader)));
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;23999,Microsoft.Compute/LowCostGetResource;35", first.Header(ResourceHeader));
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;23998,Microsoft.Compute/LowCostGetResource;34", second.Header(ResourceHeader));
        Assert.Equal("Microsoft.Compute/UpdateVMSubscriptionMaximum;1499,Microsoft.Compute/UpdateVMResource;11", run.Header(ResourceHeader));
        Assert.Equal(200, poll.Status);
        Assert.Equal("Microsoft.Compute/GetOperationSubscriptionMaximum;14999,Microsoft.Compute/GetOperationResource;44", poll.Header(ResourceHeader));
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;23997,Microsoft.Compute/LowCostGetResource;35", otherVm.Header(ResourceHeader));
    }

    [Fact]
    public async Task GetOperation_PollBucketSpent_PollsOfOtherRegionsAreServed()
    {
        var limits = new RateLimitOptions { GetOperation = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(1, 1) } };
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), limits);
        using var http = new ArmHttp(emulator);
        var west = (await http.RunCommandAsync(ArmHttp.VmPath("vm-a"))).Header("Location")!;
        var north = (await http.RunCommandAsync(ArmHttp.VmPath("vm-n", "rg-north"))).Header("Location")!;

        var first = await http.GetAsync(west);
        var refused = await http.GetAsync(west);
        var otherRegion = await http.GetAsync(north);

        Assert.Contains("/locations/northeurope/", north, StringComparison.Ordinal);
        Assert.Equal((200, 429, 200), (first.Status, refused.Status, otherRegion.Status));
        Assert.Equal("GetOperationSubscriptionMaximum", JsonNode.Parse(refused.Body)!["details"]![0]!["target"]!.GetValue<string>());
        Assert.Equal("Microsoft.Compute/GetOperationSubscriptionMaximum;0", refused.Header(ResourceHeader));
    }

    [Fact]
    public async Task LimitsOff_ByDefault_NoThrottlingAndHeadersReportFullBuckets()
    {
        await using var emulator = await ArmEmulator.StartAsync(Fleet(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start) });
        using var http = new ArmHttp(emulator);

        var answers = new List<ArmAnswer>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await http.RunCommandAsync(ArmHttp.VmPath("vm-a")));
        }

        var read = await http.GetAsync($"{ArmHttp.VmPath("vm-a")}?{ArmHttp.ApiVersion}");
        var poll = await http.GetAsync(answers[0].Header("Location")!);
        var delete = await http.SendAsync(HttpMethod.Delete, $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/data?api-version=2023-01-01");
        var tenant = await http.GetAsync("subscriptions?api-version=2022-12-01");

        Assert.All(answers, a => Assert.Equal(202, a.Status));
        Assert.All(answers, a => Assert.Equal("199", a.Header(WritesHeader)));
        Assert.All(answers, a => Assert.Equal("Microsoft.Compute/UpdateVMSubscriptionMaximum;1499,Microsoft.Compute/UpdateVMResource;11", a.Header(ResourceHeader)));
        Assert.Equal(("249", "Microsoft.Compute/LowCostGetSubscriptionMaximum;23999,Microsoft.Compute/LowCostGetResource;35"), (read.Header(ReadsHeader), read.Header(ResourceHeader)));
        Assert.Equal(("249", "Microsoft.Compute/GetOperationSubscriptionMaximum;14999,Microsoft.Compute/GetOperationResource;44"), (poll.Header(ReadsHeader), poll.Header(ResourceHeader)));
        Assert.Equal((404, "199"), (delete.Status, delete.Header("x-ms-ratelimit-remaining-subscription-deletes")));
        Assert.Null(delete.Header(ResourceHeader));
        Assert.Equal("249", tenant.Header("x-ms-ratelimit-remaining-tenant-reads"));
        Assert.Equal(0, emulator.Throttled);
        Assert.Empty(emulator.ThrottledByPolicy);
        Assert.Equal(24, emulator.RequestCount);
    }

    [Fact]
    public async Task UnauthenticatedRequest_TakesNoTokenAndCarriesNoHeaders()
    {
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), new RateLimitOptions { Reads = TokenBucketLimit.PerSecond(1, 1) });
        using var http = new HttpClient(ArmClientFactory.PinnedHandler(emulator));

        using var unauthenticated = await http.GetAsync(new Uri(emulator.Endpoint, $"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01"));
        using var armHttp = new ArmHttp(emulator);
        var authenticated = await armHttp.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");

        Assert.Equal(401, (int)unauthenticated.StatusCode);
        Assert.False(unauthenticated.Headers.Contains(ReadsHeader));
        Assert.Equal((200, "0"), (authenticated.Status, authenticated.Header(ReadsHeader)));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    [InlineData(1_000_001, 1, 1)]
    public async Task StartAsync_LimitOutOfRange_ThrowsArgumentException(int capacity, int refill, int intervalSeconds)
    {
        var limits = new RateLimitOptions { UpdateVM = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(10, 1), Resource = new TokenBucketLimit(capacity, refill, TimeSpan.FromSeconds(intervalSeconds)) } };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(Fleet(), new ArmEmulatorOptions { Limits = limits }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains("UpdateVM.Resource", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_ChangedAfterStart_DoNotAffectTheRunningEmulator()
    {
        var limits = new RateLimitOptions { Reads = TokenBucketLimit.PerSecond(1, 1) };
        await using var emulator = await StartAsync(new FakeTimeProvider(_start), limits);
        limits.Reads = TokenBucketLimit.PerSecond(100, 1);
        using var http = new ArmHttp(emulator);

        var first = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");
        var second = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");

        Assert.Equal((200, 429), (first.Status, second.Status));
    }

    /// <summary>Two Windows VMs in westeurope (resource group <c>rg</c>) and one in northeurope (<c>rg-north</c>).</summary>
    internal static FleetDocument Fleet() => TestFleets.WithVirtualMachines(
        TestFleets.Vm("vm-a"),
        TestFleets.Vm("vm-b"),
        """{"name":"vm-n","resourceGroup":"rg-north","location":"northeurope","osType":"Windows"}""");

    private static Task<ArmEmulator> StartAsync(TimeProvider clock, RateLimitOptions limits) =>
        ArmEmulator.StartAsync(Fleet(), new ArmEmulatorOptions { TimeProvider = clock, Limits = limits });

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"Expected {expected}\nbut got {actual}");
}
