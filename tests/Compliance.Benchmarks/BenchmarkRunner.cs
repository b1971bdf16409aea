using Compliance.Emulator;
using Compliance.Emulator.Azurite;
using Compliance.Testing;

namespace Compliance.Benchmarks;

/// <summary>
/// The benchmark: Azurite and a webhook receiver for all runs; then a 1,000-machine scan (for the memory comparison),
/// the full scan as shipped, and the two baselines, each against a fresh emulator; then the figures.
/// </summary>
internal static class BenchmarkRunner
{
    private const int MemoryCheckMachines = 1000;

    public static async Task<int> RunAsync(BenchmarkSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var log = Console.Error;
        await log.WriteLineAsync($"Starting Azurite and generating {settings.Machines:N0} machines (seed {settings.Seed})...").ConfigureAwait(false);
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), cancellationToken).ConfigureAwait(false);
        await using var receiver = await LoopbackReceiver.StartAsync().ConfigureAwait(false);
        var runs = new ScanRun(settings, azurite, receiver);
        var fleet = Generate(settings.Machines, settings.Seed);

        RunFigures? small = null;
        if (settings.MemoryCheck && settings.Machines > MemoryCheckMachines)
        {
            await log.WriteLineAsync($"Scanning {MemoryCheckMachines:N0} machines (memory comparison)...").ConfigureAwait(false);
            small = await runs.RunAsync("paced, 1,000 machines", Generate(MemoryCheckMachines, settings.Seed), RunMode.Paced, settings.MaxConcurrency, settings.BatchSize, settings.MaxConcurrentBatches, cancellationToken).ConfigureAwait(false);
        }

        await log.WriteLineAsync($"Scanning {settings.Machines:N0} machines, paced...").ConfigureAwait(false);
        var ours = await runs.RunAsync("paced (as shipped)", fleet, RunMode.Paced, settings.MaxConcurrency, settings.BatchSize, settings.MaxConcurrentBatches, cancellationToken).ConfigureAwait(false);

        RunFigures? sequential = null;
        RunFigures? fixedParallelism = null;
        if (settings.Baselines)
        {
            await log.WriteLineAsync($"Baseline: {settings.Sample} machines one at a time...").ConfigureAwait(false);
            // One machine per batch, one batch at a time: a batch of many checked one by one would not fit its time budget.
            sequential = await runs.RunAsync("one at a time", Generate(settings.Sample, settings.Seed), RunMode.OneAtATime, 1, 1, 1, cancellationToken).ConfigureAwait(false);
            await log.WriteLineAsync($"Baseline: {settings.Machines:N0} machines, {settings.MaxConcurrency * settings.MaxConcurrentBatches} at a time, limits ignored...").ConfigureAwait(false);
            fixedParallelism = await runs.RunAsync("fixed parallelism", fleet, RunMode.FixedParallelism, settings.MaxConcurrency, settings.BatchSize, settings.MaxConcurrentBatches, cancellationToken).ConfigureAwait(false);
        }

        BenchmarkReport.Write(output, settings, ours, small, sequential, fixedParallelism);
        return 0;
    }

    private static FleetDocument Generate(int machines, int seed) =>
        FleetGenerator.Generate(new FleetGeneratorOptions { Machines = machines, Seed = seed });
}
