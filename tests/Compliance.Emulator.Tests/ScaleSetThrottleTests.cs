using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

/// <summary>
/// Compute's scale-set and scale-set-VM policies and the per-resource Get Operation bucket ("Compute throttling
/// limits"): each answers 429 one request over its bucket, names itself, and leaves the other policies' buckets alone.
/// </summary>
public sealed class ScaleSetThrottleTests
{
    private const string ResourceHeader = "x-ms-ratelimit-remaining-resource";
    private const string ReadsHeader = "x-ms-ratelimit-remaining-subscription-reads";
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly string _scaleSet = $"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss";

    [Fact]
    public async Task ScaleSetVmGets_ThirtySeventhOnOneInstanceWithinAMinute_429FromTheScaleSetVmBucketNotTheVmOne()
    {
        await using var emulator = await StartAsync(new RateLimitOptions());
        using var http = new ArmHttp(emulator);
        var instance = $"{_scaleSet}/virtualMachines/0";

        var admitted = new List<ArmAnswer>();
        for (var i = 0; i < 36; i++)
        {
            admitted.Add(await http.GetAsync($"{instance}{(i % 2 == 0 ? "" : "/instanceView")}?{ArmHttp.ApiVersion}"));
        }

        var refused = await http.GetAsync($"{instance}?{ArmHttp.ApiVersion}");
        var otherInstance = await http.GetAsync($"{_scaleSet}/virtualMachines/7?{ArmHttp.ApiVersion}");
        var vm = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok?{ArmHttp.ApiVersion}");

        Assert.All(admitted, a => Assert.Equal(200, a.Status));
        Assert.Equal("Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;5964,Microsoft.Compute/GetVMScaleSetVMResource;0", admitted[^1].Header(ResourceHeader));
        Assert.Equal((429, "5"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("GetVMScaleSetVMResource", Target(refused));
        Assert.Equal((200, "Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;5963,Microsoft.Compute/GetVMScaleSetVMResource;35"), (otherInstance.Status, otherInstance.Header(ResourceHeader)));
        Assert.Equal("Microsoft.Compute/LowCostGetSubscriptionMaximum;23999,Microsoft.Compute/LowCostGetResource;35", vm.Header(ResourceHeader));
        Assert.Equal(new Dictionary<string, int> { ["GetVMScaleSetVMResource"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task ScaleSetVmGets_SubscriptionBucketSpent_429NamesTheSubscriptionPolicyWithRetryAfter()
    {
        var limits = new RateLimitOptions { GetScaleSetVM = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(2, 2000), Resource = TokenBucketLimit.PerMinute(36, 12) } };
        await using var emulator = await StartAsync(limits);
        using var http = new ArmHttp(emulator);

        var first = await http.GetAsync($"{_scaleSet}/virtualMachines/0?{ArmHttp.ApiVersion}");
        var second = await http.GetAsync($"{_scaleSet}/virtualMachines/7/instanceView?{ArmHttp.ApiVersion}");
        var refused = await http.GetAsync($"{_scaleSet}/virtualMachines/1?{ArmHttp.ApiVersion}");

        Assert.Equal((200, 200, 429), (first.Status, second.Status, refused.Status));
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal("GetVMScaleSetVMSubscriptionMaximum", Target(refused));
        Assert.Equal("Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;0,Microsoft.Compute/GetVMScaleSetVMResource;36", refused.Header(ResourceHeader));
        Assert.Equal(new Dictionary<string, int> { ["GetVMScaleSetVMSubscriptionMaximum"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task ScaleSetVmRunCommand_ThirteenthWithinAMinute_429FromTheScaleSetVmUpdateBucket()
    {
        await using var emulator = await StartAsync(new RateLimitOptions());
        using var http = new ArmHttp(emulator);
        var instance = $"{_scaleSet}/virtualMachines/0";

        var accepted = new List<ArmAnswer>();
        for (var i = 0; i < 12; i++)
        {
            accepted.Add(await http.RunCommandAsync(instance, "RunShellScript"));
        }

        var refused = await http.RunCommandAsync(instance, "RunShellScript");
        var vm = await http.RunCommandAsync(ArmHttp.VmPath("win-ok", "rg-rds"));

        Assert.All(accepted, a => Assert.Equal(202, a.Status));
        Assert.Equal(
            Enumerable.Range(0, 12).Select(i => $"Microsoft.Compute/UpdateVMScaleSetVMSubscriptionMaximum;{1499 - i},Microsoft.Compute/UpdateVMScaleSetVMResource;{11 - i}"),
            accepted.Select(a => a.Header(ResourceHeader)));
        Assert.Equal((429, "15"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("UpdateVMScaleSetVMResource", Target(refused));
        Assert.Equal((202, "Microsoft.Compute/UpdateVMSubscriptionMaximum;1499,Microsoft.Compute/UpdateVMResource;11"), (vm.Status, vm.Header(ResourceHeader)));
        Assert.Equal(new Dictionary<string, int> { ["UpdateVMScaleSetVMResource"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task ScaleSetListings_ThirtyFirstOfOneScaleSetsVms_429FromTheScaleSetsBucket_ListsOfScaleSetsStillServed()
    {
        await using var emulator = await StartAsync(new RateLimitOptions());
        using var http = new ArmHttp(emulator);

        var admitted = new List<ArmAnswer>();
        for (var i = 0; i < 30; i++)
        {
            admitted.Add(await http.GetAsync($"{_scaleSet}/virtualMachines?{ArmHttp.ApiVersion}"));
        }

        var refused = await http.GetAsync($"{_scaleSet}/virtualMachines?{ArmHttp.ApiVersion}");
        var sets = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/virtualMachineScaleSets?{ArmHttp.ApiVersion}");
        var vms = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/virtualMachines?{ArmHttp.ApiVersion}");

        Assert.All(admitted, a => Assert.Equal(200, a.Status));
        Assert.Equal("Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1050,Microsoft.Compute/HighCostGetVMScaleSetResource;0", admitted[^1].Header(ResourceHeader));
        Assert.Equal((429, "6"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("HighCostGetVMScaleSetResource", Target(refused));
        Assert.Equal(new Dictionary<string, int> { ["HighCostGetVMScaleSetResource"] = 1 }, emulator.ThrottledByPolicy);
        var detail = JsonNode.Parse(JsonNode.Parse(refused.Body)!["details"]![0]!["message"]!.GetValue<string>())!;
        Assert.Equal((30, 31), (detail["allowedRequestCount"]!.GetValue<int>(), detail["measuredRequestCount"]!.GetValue<int>()));
        // A subscription-wide list counts in the subscription's own bucket, not the scale set region's.
        Assert.Equal((200, "Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1079"), (sets.Status, sets.Header(ResourceHeader)));
        Assert.Equal("Microsoft.Compute/HighCostGetSubscriptionMaximum;899", vms.Header(ResourceHeader));
    }

    [Fact]
    public async Task ScaleSetListings_SubscriptionBucketSpent_ListOfScaleSets429()
    {
        var limits = new RateLimitOptions { ScaleSetHighCostGet = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(2, 360), Resource = TokenBucketLimit.PerMinute(30, 10) } };
        await using var emulator = await StartAsync(limits);
        using var http = new ArmHttp(emulator);
        var list = $"subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/virtualMachineScaleSets?{ArmHttp.ApiVersion}";

        var first = await http.GetAsync(list);
        var second = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets?{ArmHttp.ApiVersion}");
        var third = await http.GetAsync(list);
        var refused = await http.GetAsync(list);

        // Subscription-wide lists share one bucket; a resource group's lists count in its region's.
        Assert.Equal((200, 200, 200, 429), (first.Status, second.Status, third.Status, refused.Status));
        Assert.Equal("HighCostGetVMScaleSetSubscriptionMaximum", Target(refused));
        Assert.Equal("Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;0", refused.Header(ResourceHeader));
        Assert.Equal("1", refused.Header("Retry-After"));
        Assert.Equal(new Dictionary<string, int> { ["HighCostGetVMScaleSetSubscriptionMaximum"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task ScaleSetGet_ChargedToTheScaleSetsLowCostGet()
    {
        var limits = new RateLimitOptions { ScaleSetLowCostGet = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(2400, 800), Resource = TokenBucketLimit.PerMinute(1, 12) } };
        await using var emulator = await StartAsync(limits);
        using var http = new ArmHttp(emulator);

        var first = await http.GetAsync($"{_scaleSet}?{ArmHttp.ApiVersion}");
        var refused = await http.GetAsync($"{_scaleSet}?{ArmHttp.ApiVersion}");

        Assert.Equal((200, "Microsoft.Compute/GetVMScaleSetSubscriptionMaximum;2399,Microsoft.Compute/GetVMScaleSetResource;0"), (first.Status, first.Header(ResourceHeader)));
        Assert.Equal((429, "5"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("GetVMScaleSetResource", Target(refused));
        Assert.Equal(new Dictionary<string, int> { ["GetVMScaleSetResource"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task GetOperation_FortySixthPollOfOneVmsOperationWithinAMinute_429FromItsResourceBucket()
    {
        await using var emulator = await StartAsync(new RateLimitOptions());
        using var http = new ArmHttp(emulator);
        var operation = (await http.RunCommandAsync(ArmHttp.VmPath("win-ok", "rg-rds"))).Header("Azure-AsyncOperation")!;
        var otherVm = (await http.RunCommandAsync(ArmHttp.VmPath("win-slow", "rg-app"))).Header("Location")!;

        var admitted = new List<ArmAnswer>();
        for (var i = 0; i < 45; i++)
        {
            admitted.Add(await http.GetAsync(operation));
        }

        var refused = await http.GetAsync(operation);
        var other = await http.GetAsync(otherVm);

        Assert.All(admitted, a => Assert.Equal(200, a.Status));
        Assert.Equal("Microsoft.Compute/GetOperationSubscriptionMaximum;14955,Microsoft.Compute/GetOperationResource;0", admitted[^1].Header(ResourceHeader));
        Assert.Equal((429, "4"), (refused.Status, refused.Header("Retry-After")));
        Assert.Equal("GetOperationResource", Target(refused));
        Assert.Equal("205", refused.Header(ReadsHeader));
        Assert.Equal("Microsoft.Compute/GetOperationSubscriptionMaximum;14954,Microsoft.Compute/GetOperationResource;44", other.Header(ResourceHeader));
        Assert.Equal(new Dictionary<string, int> { ["GetOperationResource"] = 1 }, emulator.ThrottledByPolicy);
    }

    [Fact]
    public async Task GetOperation_UnknownOperation_OnlyTheSubscriptionBucket()
    {
        await using var emulator = await StartAsync(new RateLimitOptions());
        using var http = new ArmHttp(emulator);

        var answer = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}/providers/Microsoft.Compute/locations/westeurope/operations/{Guid.Empty}?{ArmHttp.ApiVersion}");

        Assert.Equal(404, answer.Status);
        Assert.Equal("Microsoft.Compute/GetOperationSubscriptionMaximum;14999", answer.Header(ResourceHeader));
    }

    [Fact]
    public async Task LimitsOff_ScaleSetAnswers_CarryFullBucketsOfTheirPolicies()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start) });
        using var http = new ArmHttp(emulator);

        var list = await http.GetAsync($"{_scaleSet}/virtualMachines?{ArmHttp.ApiVersion}");
        var instance = await http.GetAsync($"{_scaleSet}/virtualMachines/0/instanceView?{ArmHttp.ApiVersion}");
        var run = await http.RunCommandAsync($"{_scaleSet}/virtualMachines/0", "RunShellScript");

        Assert.Equal(("249", "Microsoft.Compute/HighCostGetVMScaleSetSubscriptionMaximum;1079,Microsoft.Compute/HighCostGetVMScaleSetResource;29"), (list.Header(ReadsHeader), list.Header(ResourceHeader)));
        Assert.Equal("Microsoft.Compute/GetVMScaleSetVMSubscriptionMaximum;5999,Microsoft.Compute/GetVMScaleSetVMResource;35", instance.Header(ResourceHeader));
        Assert.Equal(("199", "Microsoft.Compute/UpdateVMScaleSetVMSubscriptionMaximum;1499,Microsoft.Compute/UpdateVMScaleSetVMResource;11"), (run.Header("x-ms-ratelimit-remaining-subscription-writes"), run.Header(ResourceHeader)));
        Assert.Equal(0, emulator.Throttled);
    }

    [Theory]
    [InlineData("UpdateScaleSetVM")]
    [InlineData("GetScaleSetVM")]
    [InlineData("ScaleSetLowCostGet")]
    [InlineData("ScaleSetHighCostGet")]
    public async Task StartAsync_ScaleSetPolicyMissingOrOutOfRange_ThrowsArgumentException(string policy)
    {
        var bad = new ComputePolicyLimit { Subscription = TokenBucketLimit.PerMinute(10, 1), Resource = TokenBucketLimit.PerMinute(0, 1) };
        var limits = new RateLimitOptions();
        typeof(RateLimitOptions).GetProperty(policy)!.SetValue(limits, bad);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { Limits = limits }));

        Assert.Equal("options", error.ParamName);
        Assert.Contains($"{policy}.Resource", error.Message, StringComparison.Ordinal);
        typeof(RateLimitOptions).GetProperty(policy)!.SetValue(limits, null);
        var missing = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { Limits = limits }));
        Assert.Contains($"'{policy}'", missing.Message, StringComparison.Ordinal);
    }

    private static string Target(ArmAnswer refused) => JsonNode.Parse(refused.Body)!["details"]![0]!["target"]!.GetValue<string>();

    private static Task<ArmEmulator> StartAsync(RateLimitOptions limits) =>
        ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Limits = limits });
}
