using Compliance.Emulator;
using Compliance.Emulator.Azurite;

namespace Compliance.Reliability.Tests;

/// <summary>
/// Each case scans while a fault lasts, then once more after it ends, and checks that the system converged: every
/// machine has its true verdict, histories have no gap or repeat, every due notification reached both sinks once.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class FaultInjectionTests(ReliabilityFixture fixture)
{
    private static readonly string[] _sinks = [LoopbackReceiver.WebhookSink, LoopbackReceiver.EventGridSink];

    public static TheoryData<int> Seeds => [.. ReliabilitySettings.Seeds];

    [Fact]
    public async Task NoFault_Control()
    {
        await RunAsync(new FaultCase("None (control)", _ => "nothing"));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ArmServerErrors(int seed)
    {
        await RunAsync(new FaultCase($"ARM 500 and 503 answers to a quarter of all requests (seed {seed})", EndArmFaults)
        {
            Emulator = new ArmEmulatorOptions { Faults = new FaultOptions { ErrorRate = 0.25, Seed = seed } },
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ArmThrottlingStorm(int seed)
    {
        // Buckets a few requests deep that refill slowly: a scan's requests keep meeting 429s. Throttling is Azure's
        // normal state, so it lasts through the converging scan too.
        var limits = new RateLimitOptions { Reads = TokenBucketLimit.PerSecond(5, 10), Writes = TokenBucketLimit.PerSecond(2, 4) };
        await RunAsync(new FaultCase($"ARM 429 storm: read and write buckets of 5 and 2 tokens, refilled 10 and 4 a second (seed {seed})", system => $"requests throttled: {system.Emulator.Throttled}")
        {
            Emulator = new ArmEmulatorOptions { Limits = limits, Faults = new FaultOptions { Seed = seed } },
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ArmConnectionResets(int seed)
    {
        await RunAsync(new FaultCase($"Connections reset on a fifth of all requests, half of them after the request was processed (seed {seed})", EndArmFaults)
        {
            Emulator = new ArmEmulatorOptions { Faults = new FaultOptions { ResetRate = 0.2, ResetAfterProcessingShare = 0.5, Seed = seed } },
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task ArmSlowResponses(int seed)
    {
        await RunAsync(new FaultCase($"Slow ARM answers: a third of all requests wait 1.5 s (seed {seed})", EndArmFaults)
        {
            Emulator = new ArmEmulatorOptions { Faults = new FaultOptions { SlowRate = 0.33, SlowDelay = TimeSpan.FromSeconds(1.5), Seed = seed } },
        });
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task EverythingAtOnce(int seed)
    {
        var limits = new RateLimitOptions { Reads = TokenBucketLimit.PerSecond(10, 40), Writes = TokenBucketLimit.PerSecond(5, 10) };
        var faults = new FaultOptions { ErrorRate = 0.1, ResetRate = 0.1, SlowRate = 0.1, SlowDelay = TimeSpan.FromSeconds(1), Seed = seed };
        await RunAsync(new FaultCase(
            $"All at once: ARM errors, resets, slow answers and throttling while both sinks are down (seed {seed})",
            system => $"{EndArmFaults(system)}, throttled: {system.Emulator.Throttled}")
        {
            Emulator = new ArmEmulatorOptions { Limits = limits, Faults = faults },
            SinksDown = true,
        });
    }

    [Fact]
    public async Task SinksDown()
    {
        var scans = Math.Max(2, ReliabilitySettings.FaultyScans);
        await RunAsync(new FaultCase($"The webhook and the Event Grid topic answer 503 through {scans} scans and their deliveries", _ => "no ARM faults")
        {
            SinksDown = true,
            FaultyScans = scans,
        });
    }

    [Fact]
    public async Task AzuriteStoppedAndRestartedMidScan()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "compliance-reliability-" + Guid.NewGuid().ToString("N"));
        var options = new AzuriteOptions { DataDirectory = dataDirectory, Ports = AzuritePorts.PickFree() };
        var azurite = await AzuriteProcess.StartAsync(options);
        var outages = 0;
        try
        {
            await RunAsync(new FaultCase("Azurite stopped for 3 s in the middle of each scan, then restarted on the same data", _ => $"outages: {outages}")
            {
                ConnectionString = azurite.ConnectionString,
                DuringScan = async system =>
                {
                    // Once a sixth of the fleet has been checked, the store goes away while the rest is judged.
                    var before = system.Emulator.RunCommands.Count;
                    await Eventually.HoldsAsync(() => system.Emulator.RunCommands.Count >= before + Math.Max(1, ReliabilitySettings.Machines / 6), TimeSpan.FromMinutes(1), "a sixth of the Run Commands");
                    await azurite.DisposeAsync();
                    outages++;
                    await Task.Delay(TimeSpan.FromSeconds(3));
                    azurite = await AzuriteProcess.StartAsync(options);
                },
            });
        }
        finally
        {
            await azurite.DisposeAsync();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static string EndArmFaults(AppUnderTest system)
    {
        var injected = $"errors: {system.Emulator.InjectedFaults}, resets: {system.Emulator.InjectedResets}, slow answers: {system.Emulator.InjectedDelays}";
        system.Emulator.SetFaults(null);
        return injected;
    }

    /// <summary>
    /// Scans under the fault, changes one machine (so that an action is resolved), ends the fault, scans again and
    /// checks convergence; records the figures, and fails on any problem.
    /// </summary>
    private async Task RunAsync(FaultCase fault)
    {
        var fleet = ReliabilityFleet.Create(ReliabilitySettings.Machines);
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var system = await AppUnderTest.StartAsync(fault.ConnectionString ?? fixture.ConnectionString, fleet.Json, settings: ReliabilitySettings.App(receiver), emulatorOptions: fault.Emulator);
        receiver.Mode = fault.SinksDown ? ReceiverMode.Down : ReceiverMode.Up;
        var wrongCompliant = 0;
        var scans = 0;
        for (var i = 0; i < fault.FaultyScans; i++)
        {
            await ScanAsync(system, fault);
            scans++;
            wrongCompliant += await Convergence.WrongCompliantAsync(system.Verdicts, fleet);
            if (i == 0)
            {
                // A guest gets its updates after the first scan: the next scan resolves an action it notified.
                fleet.PatchOne(system.Emulator);
            }
        }

        if (fault.SinksDown)
        {
            // Each scan under the outage ends with a dispatch that tries both sinks, since all that is pending is due
            // to both. The outage lasts until every one of those dispatches was refused by each sink (the Event Grid
            // client's own retries included, as the webhook is tried after it), not just until a first request was.
            await Eventually.HoldsAsync(() => _sinks.All(sink => receiver.RefusedBy(sink) >= scans), TimeSpan.FromMinutes(3), "each sink to refuse a delivery of every scan");
        }

        var injected = fault.End(system);
        if (fault.SinksDown)
        {
            injected += $"; deliveries refused: webhook {receiver.RefusedBy(LoopbackReceiver.WebhookSink)}, Event Grid {receiver.RefusedBy(LoopbackReceiver.EventGridSink)}";
        }

        receiver.Mode = ReceiverMode.Up;
        await system.ScanAsync();
        scans++;
        wrongCompliant += await Convergence.WrongCompliantAsync(system.Verdicts, fleet);

        await Convergence.WaitForEmptyOutboxAsync(system.Verdicts, system.Ledger, fleet, TimeSpan.FromMinutes(2));
        var report = await Convergence.CheckAsync(system.Verdicts, system.Ledger, fleet, receiver, _sinks);
        var figures = FaultFigures.Of(fault.Name, injected, fleet.Expected.Count, scans, wrongCompliant, report);
        fixture.Ledger.Add(figures);
        Assert.True(figures.Clean, $"{fault.Name}: {figures}{Environment.NewLine}{string.Join(Environment.NewLine, report.Problems)}");
    }

    private static async Task ScanAsync(AppUnderTest system, FaultCase fault)
    {
        if (fault.DuringScan is null)
        {
            await system.ScanAsync();
            return;
        }

        var scan = system.ScanAsync();
        await fault.DuringScan(system);
        await scan;
    }

    /// <summary>One fault: how it is set up, and <see cref="End"/>, which ends it and says what was injected.</summary>
    private sealed record FaultCase(string Name, Func<AppUnderTest, string> End)
    {
        public ArmEmulatorOptions? Emulator { get; init; }

        public bool SinksDown { get; init; }

        public int FaultyScans { get; init; } = ReliabilitySettings.FaultyScans;

        public string? ConnectionString { get; init; }

        public Func<AppUnderTest, Task>? DuringScan { get; init; }
    }
}
