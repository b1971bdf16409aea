using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class FaultInjectorTests
{
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task ErrorRateHalf_TwoHundredRequests_AboutHalfFailTheSameWayForTheSameSeed()
    {
        var first = await StatusesAsync(seed: 7);
        var again = await StatusesAsync(seed: 7);
        var otherSeed = await StatusesAsync(seed: 8);

        var failed = first.Statuses.Count(s => s != 200);
        Assert.InRange(failed, 70, 130);
        Assert.Equal(failed, first.InjectedFaults);
        Assert.All(first.Statuses, s => Assert.Contains(s, new[] { 200, 500, 503 }));
        Assert.Contains(500, first.Statuses);
        Assert.Contains(503, first.Statuses);
        Assert.Equal(first.Statuses, again.Statuses);
        Assert.NotEqual(first.Statuses, otherSeed.Statuses);
    }

    [Fact]
    public async Task InjectedErrors_CarryArmBodiesAnd503HasRetryAfter()
    {
        var faults = new FaultOptions { ErrorRate = 1, UnavailableShare = 0.5, UnavailableRetryAfter = TimeSpan.FromMilliseconds(2500), Seed = 3 };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Faults = faults, Limits = new RateLimitOptions() });
        using var http = new ArmHttp(emulator);

        var answers = new List<ArmAnswer>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01"));
        }

        var internalError = answers.First(a => a.Status == 500);
        var unavailable = answers.First(a => a.Status == 503);
        Assert.Equal("InternalServerError", JsonNode.Parse(internalError.Body)!["error"]!["code"]!.GetValue<string>());
        Assert.Null(internalError.Header("Retry-After"));
        Assert.Equal("ServiceUnavailable", JsonNode.Parse(unavailable.Body)!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("3", unavailable.Header("Retry-After"));

        // The request reached the service before it failed: it took its throttling token. The clock stands still,
        // so no token comes back while the twenty requests run on a slow machine.
        Assert.Equal("230", answers[^1].Header("x-ms-ratelimit-remaining-subscription-reads"));
        Assert.Equal(20, emulator.InjectedFaults);
    }

    [Fact]
    public async Task FaultedRunCommandPosts_StartNoOperationAndAreNotRecorded()
    {
        var options = new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Faults = new FaultOptions { ErrorRate = 0.5, Seed = 11 } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);

        var statuses = new List<int>();
        for (var i = 0; i < 40; i++)
        {
            statuses.Add((await http.RunCommandAsync(ArmHttp.VmPath("vm-a"))).Status);
        }

        var accepted = statuses.Count(s => s == 202);
        Assert.InRange(accepted, 5, 35);
        Assert.Equal(40 - accepted, emulator.InjectedFaults);
        Assert.Equal(accepted, emulator.Operations.Count);
        Assert.Equal(accepted, emulator.RunCommands.Count);
    }

    [Fact]
    public async Task OperationPolls_MayFaultToo()
    {
        var options = new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Faults = new FaultOptions { ErrorRate = 0.5, Seed = 5 } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);
        ArmAnswer accepted;
        do
        {
            accepted = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        }
        while (accepted.Status != 202);

        var polls = new List<int>();
        for (var i = 0; i < 20; i++)
        {
            polls.Add((await http.GetAsync(accepted.Header("Location")!)).Status);
        }

        Assert.Contains(200, polls);
        Assert.Contains(polls, p => p is 500 or 503);
        Assert.All(polls, p => Assert.Contains(p, new[] { 200, 500, 503 }));
    }

    [Fact]
    public async Task SlowDelay_WaitsOnTheEmulatorsClock()
    {
        var clock = new ScaledTimeProvider(_start, 1000);
        var faults = new FaultOptions { SlowRate = 1, SlowDelay = TimeSpan.FromSeconds(60) };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), new ArmEmulatorOptions { TimeProvider = clock, Faults = faults });
        using var http = new ArmHttp(emulator);
        var platformBefore = clock.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();

        var answer = await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");

        stopwatch.Stop();
        Assert.Equal(200, answer.Status);
        Assert.True(clock.GetUtcNow() - platformBefore >= TimeSpan.FromSeconds(60));
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(55), TimeSpan.FromSeconds(5));
        Assert.Equal(1, emulator.InjectedDelays);
        Assert.Equal(0, emulator.InjectedFaults);
    }

    [Fact]
    public async Task ResetBeforeProcessing_DropsTheConnectionAndStartsNothing()
    {
        var options = new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Faults = new FaultOptions { ResetRate = 1, ResetAfterProcessingShare = 0 } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.RunCommandAsync(ArmHttp.VmPath("vm-a")));

        Assert.Equal(1, emulator.InjectedResets);
        Assert.Equal(0, emulator.InjectedFaults);
        Assert.Empty(emulator.RunCommands);
        Assert.Empty(emulator.Operations);
    }

    [Fact]
    public async Task ResetAfterProcessing_DoesTheWorkButLosesTheAnswer()
    {
        var options = new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_start), Faults = new FaultOptions { ResetRate = 1, ResetAfterProcessingShare = 1 } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.RunCommandAsync(ArmHttp.VmPath("vm-a")));

        Assert.Equal(1, emulator.InjectedResets);
        Assert.Single(emulator.RunCommands);
        Assert.Single(emulator.Operations);
    }

    [Fact]
    public async Task ResetRate_SharesOneDrawWithErrorRate_SoTheyNeverOverlap()
    {
        var options = new ArmEmulatorOptions { Faults = new FaultOptions { ErrorRate = 0.3, ResetRate = 0.3, ResetAfterProcessingShare = 0, Seed = 4 } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);
        var answered = 0;
        var reset = 0;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01");
                answered++;
            }
            catch (HttpRequestException)
            {
                reset++;
            }
        }

        // HttpClient quietly sends a request again once when a reused connection drops before any answer, so a
        // reset the client saw may stand for two the emulator made.
        Assert.InRange(reset, 20, emulator.InjectedResets);
        Assert.InRange(emulator.InjectedResets, 35, 85);
        Assert.InRange(emulator.InjectedFaults, 35, 85);
        Assert.Equal(200, answered + reset);
    }

    [Fact]
    public async Task SetFaults_StartsAndStopsFaultsWhileRunning()
    {
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet());
        using var http = new ArmHttp(emulator);
        var path = $"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01";

        var before = (await http.GetAsync(path)).Status;
        emulator.SetFaults(new FaultOptions { ErrorRate = 1, UnavailableShare = 1 });
        var during = (await http.GetAsync(path)).Status;
        var faults = emulator.InjectedFaults;
        emulator.SetFaults(null);
        var after = (await http.GetAsync(path)).Status;

        Assert.Equal([200, 503, 200], new[] { before, during, after });
        Assert.Equal(1, faults);
        Assert.Throws<ArgumentException>(() => emulator.SetFaults(new FaultOptions { ResetRate = 2 }));
    }

    [Fact]
    public async Task StartAsync_ErrorAndResetRatesAboveOne_ThrowsArgumentException()
    {
        var faults = new FaultOptions { ErrorRate = 0.6, ResetRate = 0.6 };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), new ArmEmulatorOptions { Faults = faults }));

        Assert.Contains("ResetRate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1.5, 0, 0)]
    [InlineData(-0.1, 0, 0)]
    [InlineData(0, double.NaN, 0)]
    [InlineData(0, 0, 2)]
    public async Task StartAsync_ShareOutOfRange_ThrowsArgumentException(double errorRate, double unavailableShare, double slowRate)
    {
        var faults = new FaultOptions { ErrorRate = errorRate, UnavailableShare = unavailableShare, SlowRate = slowRate };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), new ArmEmulatorOptions { Faults = faults }));

        Assert.Equal("options", error.ParamName);
    }

    private static async Task<(List<int> Statuses, int InjectedFaults)> StatusesAsync(int seed)
    {
        var options = new ArmEmulatorOptions { Faults = new FaultOptions { ErrorRate = 0.5, Seed = seed } };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await http.GetAsync($"subscriptions/{TestFleets.SubscriptionId}?api-version=2022-12-01")).Status);
        }

        return (statuses, emulator.InjectedFaults);
    }
}
