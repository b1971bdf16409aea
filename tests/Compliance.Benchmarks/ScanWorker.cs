using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Azure.Core;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Azure.Storage;
using Compliance.Azure.Tables;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Compliance.Core.Scanning;
using Compliance.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Benchmarks;

/// <summary>
/// One scan, in a process of its own so that its working set is the scanner's alone (the emulator and the fleet live in
/// the parent): the services wired by the product's <c>AddCompliance</c>, the fan-out of the Functions app (planner,
/// then batches on <see cref="ScanOptions.MaxConcurrentBatches"/> workers, a failed batch redelivered up to
/// <see cref="MaxAttempts"/> times, as a queue message), and the real <c>ArmClient</c> and Table client.
/// </summary>
internal static class ScanWorker
{
    /// <summary>As many deliveries as the Functions host gives a queue message before the poison queue.</summary>
    private const int MaxAttempts = 5;

    public static async Task<int> RunAsync(TextReader input, TextWriter output, CancellationToken cancellationToken)
    {
        var request = JsonSerializer.Deserialize<WorkerRequest>(await input.ReadToEndAsync(cancellationToken).ConfigureAwait(false), BenchmarkJson.Options)
            ?? throw new InvalidOperationException("The worker got no request on its standard input.");

        // The parent's clock, continued: platform time at the shared anchor plus the real time since, scaled.
        var clock = new ScaledTimeProvider(
            request.PlatformAtAnchor + ((DateTimeOffset.UtcNow - request.ClockAnchor) * request.Scale),
            request.Scale);
        var statistics = new ArmRequestStatistics();
        var tables = new TableTraffic();
        await using var services = Build(request, clock, statistics, tables);

        var planner = services.GetRequiredService<ScanPlanner>();
        var runner = services.GetRequiredService<BatchRunner>();
        var dispatcher = services.GetRequiredService<NotificationDispatcher>();
        var options = services.GetRequiredService<IOptions<ScanOptions>>().Value;

        var real = Stopwatch.StartNew();
        var started = clock.GetUtcNow();
        var plan = await planner.PlanAsync(ScanRequest.AllSubscriptions, cancellationToken).ConfigureAwait(false);
        var (retries, abandoned) = await RunBatchesAsync(plan, runner, options.MaxConcurrentBatches, cancellationToken).ConfigureAwait(false);

        // Deliveries that failed during the batches are what the next invocation sends; the scan is done when they are.
        await dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        var wall = clock.GetUtcNow() - started;
        real.Stop();

        using var process = Process.GetCurrentProcess();
        var result = new WorkerResult
        {
            ScanId = plan.ScanId,
            WallSeconds = wall.TotalSeconds,
            RealSeconds = real.Elapsed.TotalSeconds,
            Planned = plan.Batches.Sum(b => b.Resources.Count),
            Batches = plan.Batches.Count,
            BatchRetries = retries,
            BatchesAbandoned = abandoned,
            ArmRequests = statistics.Sent.ToDictionary(p => p.Key.ToString(), p => p.Value),
            Throttled = statistics.Throttled,
            Retried = statistics.Retried,
            TableTransactions = tables.Transactions,
            TableWriteTransactions = tables.WriteTransactions,
            TableEntitiesWritten = tables.EntitiesWritten,
            PeakWorkingSetBytes = process.PeakWorkingSet64,
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(result, BenchmarkJson.Options).AsMemory(), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<(int Retries, int Abandoned)> RunBatchesAsync(ScanPlan plan, BatchRunner runner, int workers, CancellationToken cancellationToken)
    {
        var queue = Channel.CreateUnbounded<(ScanBatch Batch, int Attempt)>();
        foreach (var batch in plan.Batches)
        {
            queue.Writer.TryWrite((batch, 1));
        }

        var open = plan.Batches.Count;
        var retries = 0;
        var abandoned = 0;
        if (open == 0)
        {
            queue.Writer.Complete();
        }

        await Parallel.ForEachAsync(
            queue.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                try
                {
                    await runner.RunAsync(item.Batch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    await Console.Error.WriteLineAsync($"batch {item.Batch.Index} attempt {item.Attempt} failed: {ex.GetType().Name}: {ex.Message}").ConfigureAwait(false);
                    if (item.Attempt < MaxAttempts)
                    {
                        Interlocked.Increment(ref retries);
                        queue.Writer.TryWrite((item.Batch, item.Attempt + 1));
                        return;
                    }

                    Interlocked.Increment(ref abandoned);
                }

                if (Interlocked.Decrement(ref open) == 0)
                {
                    queue.Writer.Complete();
                }
            }).ConfigureAwait(false);
        return (retries, abandoned);
    }

    private static ServiceProvider Build(WorkerRequest request, ScaledTimeProvider clock, ArmRequestStatistics statistics, TableTraffic tables)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{ArmOptions.SectionName}:{nameof(ArmOptions.Endpoint)}"] = request.ArmEndpoint.ToString(),
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}"] = request.StorageConnectionString,
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TablePrefix)}"] = request.TablePrefix,
            [$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.Url)}"] = request.Webhook.ToString(),
            [$"{WebhookOptions.SectionName}:{nameof(WebhookOptions.Secret)}"] = request.WebhookSecret,
            [$"{ScanOptions.SectionName}:{nameof(ScanOptions.MaxConcurrency)}"] = request.MaxConcurrency.ToString(CultureInfo.InvariantCulture),
            [$"{ScanOptions.SectionName}:{nameof(ScanOptions.BatchSize)}"] = request.BatchSize.ToString(CultureInfo.InvariantCulture),
            [$"{ScanOptions.SectionName}:{nameof(ScanOptions.MaxConcurrentBatches)}"] = request.MaxConcurrentBatches.ToString(CultureInfo.InvariantCulture),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var certificate = X509CertificateLoader.LoadCertificate(request.Certificate);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Error)
            .AddSimpleConsole(console => console.SingleLine = true)
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

        // Registered before AddCompliance, so these win: the shared clock, the emulator's token and certificate, and
        // the counters. Everything else is the product's wiring.
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<TokenCredential>(new StaticTokenCredential(request.AccessToken, clock));
        services.AddSingleton(sp => ComplianceArmClientFactory.Create(
            sp.GetRequiredService<IOptions<ArmOptions>>().Value,
            sp.GetRequiredService<TokenCredential>(),
            certificate,
            clock,
            statistics,
            paced: request.Mode != RunMode.FixedParallelism));
        services.AddSingleton(sp =>
        {
            var options = new TableClientOptions();
            options.AddPolicy(tables, HttpPipelinePosition.PerRetry);
            return TableStoreTables.Create(sp.GetRequiredService<IOptions<TableStoreOptions>>().Value, sp.GetRequiredService<TokenCredential>(), options);
        });
        services.AddCompliance(configuration);

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        provider.GetService<IStartupValidator>()?.Validate();
        return provider;
    }
}
