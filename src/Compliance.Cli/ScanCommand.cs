using System.CommandLine;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance scan</c>: judges a fleet file's machines through the loopback emulator, or real subscriptions, and
/// writes the report. Exit code 0 when nothing needs an action, 3 when something does, 1 on failure, 2 on usage errors.
/// </summary>
internal static class ScanCommand
{
    public static Command Create(CliConsole console)
    {
        var fleet = new Option<FileInfo?>("--fleet")
        {
            Description = "A fleet file (see FLEET format): scan its machines through the built-in ARM emulator.",
        };
        var subscriptions = new Option<string[]>("--subscription")
        {
            Description = "A subscription id to scan in Azure (repeatable). With --fleet, limits the scan to these fleet subscriptions.",
        };
        var store = new Option<string>("--store")
        {
            Description = "Where verdicts are stored: 'none' (the report only), 'azurite' (a local Azurite) or a storage connection string.",
            DefaultValueFactory = _ => "none",
        };
        var format = new Option<string?>("--format")
        {
            Description = "Report format: json, table or csv. Default: json with --out, table otherwise.",
        };
        format.AcceptOnlyFromAmong("json", "table", "csv");
        var output = new Option<FileInfo?>("--out")
        {
            Description = "Write the report to this file instead of standard output.",
        };
        var concurrency = new Option<int?>("--concurrency")
        {
            Description = "How many machines to check at the same time (default 16, setting Compliance:Scan:MaxConcurrency).",
        };
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Log details and stack traces to standard error.",
        };

        var command = new Command("scan", "Scan a fleet file or Azure subscriptions and write the compliance report.")
        {
            fleet, subscriptions, store, format, output, concurrency, verbose,
        };

        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => RunAsync(
                console,
                result.GetValue(fleet),
                result.GetValue(subscriptions) ?? [],
                StoreOption.Parse(result.GetValue(store)),
                result.GetValue(format),
                result.GetValue(output),
                new CliSettings(isVerbose, result.GetValue(concurrency)),
                cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console,
        FileInfo? fleetFile,
        string[] subscriptionIds,
        StoreOption store,
        string? formatName,
        FileInfo? output,
        CliSettings settings,
        CancellationToken cancellationToken)
    {
        if (fleetFile is null && subscriptionIds.Length == 0)
        {
            throw new UsageException("give --fleet FILE to scan a fleet file, or --subscription ID to scan Azure.");
        }

        if (settings.Concurrency is < 1 or > 1024)
        {
            throw new UsageException("--concurrency must be between 1 and 1024.");
        }

        SubscriptionArguments.Check(subscriptionIds);

        var format = formatName is null
            ? output is null ? ReportFormat.Table : ReportFormat.Json
            : Enum.Parse<ReportFormat>(formatName, ignoreCase: true);

        var fleet = fleetFile is null ? null : FleetSource.Load(fleetFile);
        await using var storage = await LocalStorage.OpenAsync(store, settings.Verbose, console.Error, cancellationToken).ConfigureAwait(false);
        settings = settings with { StoreConnectionString = storage.ConnectionString };
        await using var session = fleet is not null
            ? await ScanSession.StartForFleetAsync(fleet, settings, cancellationToken).ConfigureAwait(false)
            : ScanSession.StartForAzure(settings);

        var request = new ScanRequest(subscriptionIds);
        var scan = await ScanProgressView.RunAsync(console, progress => session.ScanAsync(request, progress, cancellationToken)).ConfigureAwait(false);
        var report = scan.Report;
        await ReportWriter.WriteAsync(report, format, output?.FullName, console, cancellationToken).ConfigureAwait(false);

        foreach (var error in report.Errors)
        {
            await console.Error.WriteLineAsync($"compliance: {ReportWriter.Inert(error.Scope)}: {InertText.ForTerminal(error.Message, keepLineFeeds: true)}").ConfigureAwait(false);
        }

        if (output is not null && console.Interactive)
        {
            await console.Error.WriteLineAsync(
                $"Report written to {output.FullName}: {report.Summary.Total} resources, {report.Summary.ActionRequired} need action, {report.Summary.Unknown} unknown.").ConfigureAwait(false);
        }

        return ExitCodeOf(report);
    }

    /// <summary>1 when part of the scan failed, else 3 when something needs an action, else 0.</summary>
    public static int ExitCodeOf(ComplianceReport report) =>
        report.Errors.Count > 0 ? ExitCodes.Failure
        : report.Summary.ActionRequired > 0 ? ExitCodes.ActionRequired
        : ExitCodes.Success;
}
