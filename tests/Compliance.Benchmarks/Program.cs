using System.CommandLine;
using Compliance.Benchmarks;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

if (args is [WorkerProcess.Verb])
{
    return await ScanWorker.RunAsync(Console.In, Console.Out, cancellation.Token);
}

var machines = new Option<int>("--machines") { Description = "Machines in the generated fleet.", DefaultValueFactory = _ => 10_000 };
var seed = new Option<int>("--seed") { Description = "The fleet's seed (and the injected faults').", DefaultValueFactory = _ => 1 };
var scale = new Option<double?>("--scale") { Description = "How many times faster than real time the platform clock runs (default: the fastest this harness keeps for the fleet's size)." };
var errorRate = new Option<double>("--error-rate") { Description = "Share of ARM requests failed with 500/503.", DefaultValueFactory = _ => 0.05 };
var baselines = new Option<string>("--baselines") { Description = "on or off: also run the one-at-a-time and fixed-parallelism baselines.", DefaultValueFactory = _ => "on" };
baselines.AcceptOnlyFromAmong("on", "off");
var sample = new Option<int>("--sample") { Description = "Machines of the one-at-a-time baseline (its time is extrapolated).", DefaultValueFactory = _ => 20 };
var memoryCheck = new Option<string>("--memory-check") { Description = "on or off: first scan 1,000 machines to compare memory.", DefaultValueFactory = _ => "on" };
memoryCheck.AcceptOnlyFromAmong("on", "off");
var maxConcurrency = new Option<int>("--max-concurrency") { Description = "Compliance:Scan:MaxConcurrency, machines in flight per batch.", DefaultValueFactory = _ => new BenchmarkSettings().MaxConcurrency };
var batchSize = new Option<int>("--batch-size") { Description = "Compliance:Scan:BatchSize, resources per batch.", DefaultValueFactory = _ => new BenchmarkSettings().BatchSize };
var maxConcurrentBatches = new Option<int>("--max-concurrent-batches") { Description = "Compliance:Scan:MaxConcurrentBatches, batches at a time.", DefaultValueFactory = _ => new BenchmarkSettings().MaxConcurrentBatches };

var root = new RootCommand("Measures a full scan of a generated fleet at Azure's rate limits on the loopback emulator, with two baselines.")
{
    machines, seed, scale, errorRate, baselines, sample, memoryCheck, maxConcurrency, batchSize, maxConcurrentBatches,
};
root.SetAction(async (result, cancellationToken) =>
{
    var settings = new BenchmarkSettings
    {
        Machines = result.GetValue(machines),
        Seed = result.GetValue(seed),
        Scale = result.GetValue(scale),
        ErrorRate = result.GetValue(errorRate),
        Baselines = result.GetValue(baselines) == "on",
        Sample = result.GetValue(sample),
        MemoryCheck = result.GetValue(memoryCheck) == "on",
        MaxConcurrency = result.GetValue(maxConcurrency),
        BatchSize = result.GetValue(batchSize),
        MaxConcurrentBatches = result.GetValue(maxConcurrentBatches),
    };
    var problems = settings.Problems().ToList();
    if (problems.Count > 0)
    {
        problems.ForEach(p => Console.Error.WriteLine($"benchmark: {p}"));
        return 2;
    }

    return await BenchmarkRunner.RunAsync(settings, Console.Out, cancellationToken);
});
return await root.Parse(args).InvokeAsync(new InvocationConfiguration(), cancellation.Token);
