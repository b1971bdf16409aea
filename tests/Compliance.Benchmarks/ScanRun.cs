using System.Text.Json;
using Azure.Core;
using Azure.Data.Tables;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Azure.Webhooks;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Compliance.Emulator.Azurite;
using Compliance.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Benchmarks;

/// <summary>
/// One measured scan: a fresh emulator (full buckets) with Azure's limits and the injected faults, fresh tables in the
/// shared Azurite, a worker process that scans, then the verdicts counted from the store.
/// </summary>
internal sealed class ScanRun(BenchmarkSettings settings, AzuriteProcess azurite, LoopbackReceiver receiver)
{
    // The webhook's signing secret: a fixed test value for a loopback receiver that does not check signatures.
    private const string WebhookSecret = "benchmark-webhook-signing-secret";

    private int _runs;

    public async Task<RunFigures> RunAsync(string name, FleetDocument fleet, RunMode mode, int maxConcurrency, int batchSize, int maxConcurrentBatches, CancellationToken cancellationToken)
    {
        var run = Interlocked.Increment(ref _runs);
        var limits = new RateLimitOptions();
        var clock = new ScaledTimeProvider(DateTimeOffset.UtcNow, settings.ClockScale);
        await using var emulator = await ArmEmulator.StartAsync(
            fleet,
            new ArmEmulatorOptions
            {
                TimeProvider = clock,
                RunCommandLatency = settings.RunCommandLatency,
                Limits = limits,
                Faults = settings.ErrorRate > 0 ? new FaultOptions { ErrorRate = settings.ErrorRate, Seed = settings.Seed } : null,
            },
            cancellationToken).ConfigureAwait(false);

        // The emulator runs in this process, on the same clock: when this process falls behind, so do its answers.
        await using var probe = new ClockProbe(clock);
        var prefix = $"b{run}";
        var anchor = DateTimeOffset.UtcNow;
        var worker = await WorkerProcess.RunAsync(
            new WorkerRequest
            {
                Mode = mode,
                ArmEndpoint = emulator.Endpoint,
                Certificate = emulator.Certificate.RawData,
                AccessToken = emulator.AccessToken,
                StorageConnectionString = azurite.ConnectionString,
                TablePrefix = prefix,
                Webhook = new Uri(receiver.BaseAddress, RunPath(prefix)),
                WebhookSecret = WebhookSecret,
                PlatformAtAnchor = clock.GetUtcNow() - ((DateTimeOffset.UtcNow - anchor) * settings.ClockScale),
                ClockAnchor = anchor,
                Scale = settings.ClockScale,
                MaxConcurrency = maxConcurrency,
                BatchSize = batchSize,
                MaxConcurrentBatches = maxConcurrentBatches,
            },
            cancellationToken).ConfigureAwait(false);

        var bound = LowerBound.For(fleet, limits, settings.RunCommandLatency, settings.ErrorRate);
        var (judged, stateBytes) = await ReadStoreAsync(prefix, worker.ScanId, cancellationToken).ConfigureAwait(false);
        var (delivered, duplicates) = CountDeliveries(prefix);
        return new RunFigures
        {
            Name = name,
            Worker = worker,
            Bound = bound,
            Throttled = emulator.Throttled,
            ThrottledByPolicy = emulator.ThrottledByPolicy,
            InjectedFaults = emulator.InjectedFaults,
            MachinesCommanded = emulator.RunCommands.Select(c => c.ResourceId).Distinct(StringComparer.OrdinalIgnoreCase).Count(),
            RunCommandSpan = emulator.RunCommands.Count == 0
                ? (0, 0)
                : ((emulator.RunCommands.Min(c => c.At) - worker.ScanStartedAt).TotalSeconds, (emulator.RunCommands.Max(c => c.At) - worker.ScanStartedAt).TotalSeconds),
            Lost = Math.Max(0, bound.Resources - judged),
            NotificationsDelivered = delivered,
            NotificationsDuplicated = duplicates,
            StateBytes = stateBytes,
            EmulatorClock = probe.Lateness(worker.ScanStartedAt, worker.ScanStartedAt + TimeSpan.FromSeconds(worker.WallSeconds)),
        };
    }

    // Each run's scanner delivers to a path of its own on the one receiver.
    private static string RunPath(string run) => $"runs/{Uri.EscapeDataString(run)}";

    /// <summary>Deliveries received for <paramref name="run"/>, and how many of them repeat an earlier one.</summary>
    private (int Delivered, int Duplicates) CountDeliveries(string run)
    {
        var path = "/" + RunPath(run);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var notices = new HashSet<(string?, string?)>();
        var delivered = 0;
        var duplicates = 0;
        foreach (var request in receiver.Requests.Where(r => r.Path == path))
        {
            var notice = request.Events().Single();
            delivered++;

            // A repeated id is the same message sent again; a repeated type and subject is the same news made twice.
            if (!ids.Add(request.Header(WebhookNotificationSink.EventIdHeaderName))
                | !notices.Add((notice.GetProperty("type").GetString(), notice.GetProperty("subject").GetString())))
            {
                duplicates++;
            }
        }

        return (delivered, duplicates);
    }

    /// <summary>How many resources hold a verdict of the scan, and the size of the current-state rows.</summary>
    private async Task<(int Judged, long StateBytes)> ReadStoreAsync(string prefix, string scanId, CancellationToken cancellationToken)
    {
        // The store as the product wires it, read back by the product's own query.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.ConnectionString)}"] = azurite.ConnectionString,
            [$"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.TablePrefix)}"] = prefix,
        }).Build();
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton<TokenCredential>(new StaticTokenCredential("unused: the connection string signs"))
            .AddCompliance(configuration)
            .BuildServiceProvider();
        var judged = 0;
        await foreach (var stored in services.GetRequiredService<IVerdictStore>().QueryStatesAsync(StateQuery.All, cancellationToken).ConfigureAwait(false))
        {
            if (string.Equals(stored.State.ScanId, scanId, StringComparison.Ordinal))
            {
                judged++;
            }
        }

        long bytes = 0;
        await foreach (var entity in services.GetRequiredService<TableStoreTables>().States.QueryAsync<TableEntity>(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            bytes += JsonSerializer.SerializeToUtf8Bytes<IDictionary<string, object?>>(entity).Length;
        }

        return (judged, bytes);
    }
}
