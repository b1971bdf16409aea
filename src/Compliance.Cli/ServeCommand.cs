using System.CommandLine;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Compliance.Emulator;
using Compliance.Server;
using Compliance.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance serve</c>: the service without the Functions host, in this process: the HTTP API, the dashboard, the
/// scheduler and the batch queue's worker, the same app and pipeline the Functions app runs, against Azure or (with
/// <c>--fleet</c>) the loopback emulator, until Ctrl+C. It listens on loopback unless told otherwise, and beyond
/// loopback only with a read key.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliConsole console)
    {
        var fleet = new Option<FileInfo?>("--fleet")
        {
            Description = "A fleet file: serve its machines through the built-in ARM emulator instead of Azure.",
        };
        var subscriptions = new Option<string[]>("--subscription")
        {
            Description = "A subscription id the service scans (repeatable); default: every subscription it can read.",
        };
        var store = new Option<string>("--store")
        {
            Description = "Where verdicts are stored: 'azurite' (a local Azurite) or a storage connection string. The service needs a store.",
            DefaultValueFactory = _ => "azurite",
        };
        var urls = new Option<string>("--urls")
        {
            Description = "Where to listen (';'-separated URLs). Beyond loopback the read key Compliance:Api:ReadKey is required (and Compliance:Api:OperatorKey to start scans).",
            DefaultValueFactory = _ => "http://127.0.0.1:7071",
        };
        var verbose = new Option<bool>("--verbose") { Description = "Log details to standard error." };

        var command = new Command("serve", "Serve the API and the dashboard, scan on the schedule and on request, until Ctrl+C.")
        {
            fleet, subscriptions, store, urls, verbose,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => RunAsync(
                console,
                result.GetValue(fleet),
                result.GetValue(subscriptions) ?? [],
                StoreOption.Parse(result.GetValue(store)),
                result.GetValue(urls) ?? "http://127.0.0.1:7071",
                isVerbose,
                cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console,
        FileInfo? fleetFile,
        string[] subscriptionIds,
        StoreOption store,
        string urls,
        bool verbose,
        CancellationToken cancellationToken)
    {
        if (store.Kind == StoreKind.None)
        {
            throw new UsageException("serve needs a store: give --store azurite or a storage connection string.");
        }

        if (string.IsNullOrWhiteSpace(urls))
        {
            throw new UsageException("--urls needs at least one URL, such as http://127.0.0.1:7071.");
        }

        SubscriptionArguments.Check(subscriptionIds);

        var fleet = fleetFile is null ? null : FleetSource.Load(fleetFile);
        await using var storage = await LocalStorage.OpenAsync(store, verbose, console.Error, cancellationToken).ConfigureAwait(false);
        // The file's name goes to the terminal: without control characters, it cannot carry escape sequences.
        var name = fleetFile is null ? null : new string([.. fleetFile.Name.Where(c => !char.IsControl(c))]);
        await ServeAsync(console, fleet is null ? null : (fleet, $"the fleet {name}"), storage, urls, subscriptionIds, verbose, cancellationToken).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>
    /// Serves until <paramref name="cancellationToken"/> is cancelled (Ctrl+C): against <paramref name="fleet"/> on a
    /// loopback emulator of its own, or Azure; with verdicts in <paramref name="storage"/>. Prints where.
    /// </summary>
    public static async Task ServeAsync(
        CliConsole console,
        (FleetDocument Document, string Name)? fleet,
        LocalStorage storage,
        string urls,
        string[] subscriptionIds,
        bool verbose,
        CancellationToken cancellationToken)
    {
        // The emulator plays the subscription's system topic too: its resource events reach the service through the
        // resource-change queue of the same storage, as Event Grid delivers them in Azure.
        var events = new EventQueueOptions { ConnectionString = storage.ConnectionString!, QueueName = ResourceChangeQueueOptions.DefaultQueueName };
        await using var emulator = fleet is null
            ? null
            : await ArmEmulator.StartAsync(fleet.Value.Document, new ArmEmulatorOptions { EventQueue = events }, cancellationToken).ConfigureAwait(false);
        await using var app = Build(urls, storage.ConnectionString!, subscriptionIds, emulator, verbose);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }
        catch (OptionsValidationException ex)
        {
            throw new UsageException($"invalid settings: {string.Join("; ", ex.Failures)}");
        }
        catch (ListenRefusedException ex)
        {
            // Listening beyond loopback without a read key is the caller's to fix: a message, not a stack trace.
            throw new UsageException(ex.Message);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var first = addresses.First().TrimEnd('/');
        await console.Out.WriteLineAsync($"Compliance is serving {(fleet is { } f ? $"{f.Name} on the built-in ARM emulator" : "Azure")}, with verdicts in {storage.Description}.").ConfigureAwait(false);
        await console.Out.WriteLineAsync($"  API:       {first}/api/summary, {first}/api/compliance, POST {first}/api/scans").ConfigureAwait(false);
        await console.Out.WriteLineAsync($"  Dashboard: {first}/api/dashboard").ConfigureAwait(false);
        await console.Out.WriteLineAsync("Press Ctrl+C to stop.").ConfigureAwait(false);

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the normal way to stop.
        }

        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private static WebApplication Build(string urls, string connectionString, string[] subscriptionIds, ArmEmulator? emulator, bool verbose)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Compliance:Storage:ConnectionString"] = connectionString,
        };
        if (subscriptionIds.Length > 0)
        {
            values[$"{ScanOptions.SectionName}:{nameof(ScanOptions.Subscriptions)}"] = string.Join(',', subscriptionIds);
        }

        foreach (var (key, value) in emulator is null ? [] : EmulatorArm.Settings(emulator))
        {
            values[key] = value;
        }

        try
        {
            return ComplianceServer.Build(["--urls", urls], builder =>
            {
                builder.Configuration.AddInMemoryCollection(values);
                builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
                if (emulator is not null)
                {
                    EmulatorArm.AddTo(builder.Services, emulator);
                }
            });
        }
        catch (InvalidOperationException ex)
        {
            // What the app refuses while it is built (no store, say) is the caller's to fix.
            throw new UsageException(ex.Message);
        }
    }
}
