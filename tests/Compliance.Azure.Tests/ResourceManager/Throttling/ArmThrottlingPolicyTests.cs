using Compliance.Azure.ResourceManager;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Emulator;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

/// <summary>
/// The rate-limit aware ARM client against the emulator with ARM's write bucket shrunk (5 burst, 2 per second) and
/// a scaled clock: every Run Command of a burst far larger than the bucket completes, and 429s stay rare because
/// requests are paced instead of retried in a storm.
/// </summary>
public sealed class ArmThrottlingPolicyTests
{
    private const int Machines = 30;

    [Theory]
    [InlineData(2.0, 3)]
    [InlineData(10.0, 15)]
    public async Task RunCommands_BurstLargerThanTheBucket_AllCompleteWithFew429s(double assumedWritesPerSecond, int most429s)
    {
        var clock = new ScaledTimeProvider(DateTimeOffset.UtcNow, factor: 20);
        var limits = new RateLimitOptions { Writes = TokenBucketLimit.PerSecond(5, 2) };
        var fleet = FleetDocument.Parse(Fleets.Of(Enumerable.Range(0, Machines).Select(i => Fleets.Vm($"vm-{i:00}", "Linux")).ToArray()), "burst");
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions { TimeProvider = clock, Limits = limits, RunCommandLatency = TimeSpan.FromSeconds(2) });
        var statistics = new ArmRequestStatistics();
        var options = new ArmOptions { Endpoint = emulator.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(100) };
        var client = ComplianceArmClientFactory.Create(options, new StaticTokenCredential(emulator.AccessToken), emulator.Certificate, clock, statistics, ArmRateLimits.Azure with { ArmWritesPerSecond = assumedWritesPerSecond });
        var runner = new ArmGuestCommandRunner(client, Microsoft.Extensions.Options.Options.Create(options), clock, NullLogger<ArmGuestCommandRunner>.Instance);
        var machines = Enumerable.Range(0, Machines).Select(i => new Machine(
            new ResourceId($"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-{i:00}"),
            ResourceKind.VirtualMachine, $"vm-{i:00}", "westeurope", OsType.Linux, PowerState.Running, new Dictionary<string, string>(), null)).ToList();

        var results = await Task.WhenAll(machines.Select(m => runner.RunAsync(m, GuestScripts.Linux, CancellationToken.None)));

        Assert.All(results, r => Assert.Null(r.Failure));
        Assert.Equal(Machines, emulator.RunCommands.Count);
        Assert.True(statistics.Throttled <= most429s, $"{statistics.Throttled} 429s: {string.Join(", ", emulator.ThrottledByPolicy)}; sent {string.Join(", ", statistics.Sent)}");
        Assert.Equal(emulator.Throttled, statistics.Throttled);
        Assert.Equal(Machines + statistics.Throttled, statistics.Sent[ArmRequestKind.Write]);
        // One poll per command when Retry-After is honoured (a few more when a poll was held by a 429 or came early).
        Assert.InRange(statistics.Sent[ArmRequestKind.Poll], Machines, Machines * 2);
    }

    [Fact]
    public async Task RunCommands_InjectedServerErrors_RetriedUntilEveryCommandCompletes()
    {
        var clock = new ScaledTimeProvider(DateTimeOffset.UtcNow, factor: 20);
        var fleet = FleetDocument.Parse(Fleets.Of(Enumerable.Range(0, Machines).Select(i => Fleets.Vm($"vm-{i:00}", "Linux")).ToArray()), "faults");
        await using var emulator = await ArmEmulator.StartAsync(fleet, new ArmEmulatorOptions { TimeProvider = clock, Faults = new FaultOptions { ErrorRate = 0.2, Seed = 7 } });
        var statistics = new ArmRequestStatistics();
        var options = new ArmOptions { Endpoint = emulator.Endpoint, RetryDelay = TimeSpan.FromMilliseconds(200), MaxRetries = 10 };
        var client = ComplianceArmClientFactory.Create(options, new StaticTokenCredential(emulator.AccessToken), emulator.Certificate, clock, statistics);
        var runner = new ArmGuestCommandRunner(client, Microsoft.Extensions.Options.Options.Create(options), clock, NullLogger<ArmGuestCommandRunner>.Instance);
        var machines = Enumerable.Range(0, Machines).Select(i => new Machine(
            new ResourceId($"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-{i:00}"),
            ResourceKind.VirtualMachine, $"vm-{i:00}", "westeurope", OsType.Linux, PowerState.Running, new Dictionary<string, string>(), null)).ToList();

        var results = await Task.WhenAll(machines.Select(m => runner.RunAsync(m, GuestScripts.Linux, CancellationToken.None)));

        Assert.All(results, r => Assert.Null(r.Failure));
        Assert.True(emulator.InjectedFaults > 0);
        Assert.Equal(emulator.InjectedFaults, statistics.Retried);
    }
}
