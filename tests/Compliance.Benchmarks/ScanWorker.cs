using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Azure.Core;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.ResourceManager.Throttling;
using Compliance.Azure.Storage;
using Azure.Data.Tables;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Benchmarks;

/// <summary>
/// One scan, in a process of its own so that its working set is the scanner's alone (the emulator and the fleet live in
/// the parent): the services wired by the product's <c>AddCompliance</c>, the product's pipeline (planned, its batches
/// sent to the storage queue in Azurite, run by the <see cref="ScanBatchWorker"/> on
/// <see cref="ScanOptions.MaxConcurrentBatches"/> slots as the app on its own runs them), and the real <c>ArmClient</c>,
/// Table and Queue clients.
/// </summary>
internal static class ScanWorker
{
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

        var pipeline = services.GetRequiredService<ScanPipeline>();
        var worker = services.GetRequiredService<ScanBatchWorker>();
        var ledger = services.GetRequiredService<IScanLedger>();
        var dispatcher = services.GetRequiredService<NotificationDispatcher>();

        await using var sampler = new MemorySampler(Environment.GetEnvironmentVariable("COMPLIANCE_BENCHMARK_TRACE") == "1" ? Console.Error : null);
        await using var probe = new ClockProbe(clock);
        var real = Stopwatch.StartNew();
        var started = clock.GetUtcNow();
        var (scanId, planned, batches) = await StartAsync(pipeline, cancellationToken).ConfigureAwait(false);
        var sent = clock.GetUtcNow();
        await worker.RunUntilAsync(
            async token => (await ledger.GetScanAsync(scanId, token).ConfigureAwait(false))?.CompletedAt is not null,
            onBatchDone: null,
            cancellationToken).ConfigureAwait(false);

        // Deliveries that failed during the batches are what the next invocation sends; the scan is done when they are.
        await dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        var ended = clock.GetUtcNow();
        real.Stop();

        using var process = Process.GetCurrentProcess();
        var result = new WorkerResult
        {
            ScanId = scanId,
            ScanStartedAt = started,
            WallSeconds = (ended - started).TotalSeconds,
            RealSeconds = real.Elapsed.TotalSeconds,
            PlannedSeconds = (sent - started).TotalSeconds,
            Planned = planned,
            Batches = batches,
            BatchRetries = worker.Retried,
            BatchesAbandoned = worker.Poisoned,
            ArmRequests = statistics.Sent.ToDictionary(p => p.Key.ToString(), p => p.Value),
            Throttled = statistics.Throttled,
            Retried = statistics.Retried,
            TableTransactions = tables.Transactions,
            TableWriteTransactions = tables.WriteTransactions,
            TableEntitiesWritten = tables.EntitiesWritten,
            PeakWorkingSetBytes = Math.Max(process.PeakWorkingSet64, sampler.PeakWorkingSetBytes),
            PeakLiveBytes = sampler.PeakLiveBytes,
            ScannerClock = probe.Lateness(started, ended),
        };
        await output.WriteLineAsync(JsonSerializer.Serialize(result, BenchmarkJson.Options).AsMemory(), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    // The plan is sent to the queue as message text and let go, as every front does: what the scan holds while it runs
    // is the batches in flight, not the fleet.
    private static async Task<(string ScanId, int Planned, int Batches)> StartAsync(ScanPipeline pipeline, CancellationToken cancellationToken)
    {
        var plan = await pipeline.StartAsync(ScanRequest.AllSubscriptions, cancellationToken).ConfigureAwait(false);
        return (plan.ScanId, plan.Batches.Sum(b => b.Resources.Count), plan.Batches.Count);
    }

    private static ServiceProvider Build(WorkerRequest request, ScaledTimeProvider clock, ArmRequestStatistics statistics, TableTraffic tables)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{ArmOptions.SectionName}:{nameof(ArmOptions.Endpoint)}"] = request.ArmEndpoint.ToString(),
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}"] = request.StorageConnectionString,
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TablePrefix)}"] = request.TablePrefix,

            // Each run its own queue, as its own tables: a run never picks up another's batches.
            [$"{ScanQueueOptions.SectionName}:{nameof(ScanQueueOptions.QueueName)}"] = $"{request.TablePrefix}-batches",
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
