using System.CommandLine;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Spectre.Console;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance demo</c>: the main job on a machine without Azure. Installs (first time) and starts a repository-local
/// Azurite with in-memory persistence on a free port, starts the loopback ARM emulator with the sample fleet (or a
/// generated one), runs a full scan through the real SDK client storing verdicts in Table Storage, writes
/// <c>report.json</c> and <c>report.csv</c>, prints a summary, and stops everything it started, also on Ctrl+C.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var machines = new Option<int?>("--machines")
        {
            Description = "Generate a fleet of this many machines instead of using the sample fleet.",
        };
        var seed = new Option<int>("--seed")
        {
            Description = "The seed of the generated fleet (the same seed gives the same fleet).",
            DefaultValueFactory = _ => 1,
        };
        var outputDirectory = new Option<DirectoryInfo>("--out-dir")
        {
            Description = "Where report.json and report.csv are written.",
            DefaultValueFactory = _ => new DirectoryInfo("demo-output"),
        };
        var verbose = new Option<bool>("--verbose") { Description = "Log details to standard error." };
        var serve = new Option<bool>("--serve")
        {
            Description = "Afterwards, serve the API and the dashboard on the demo's verdicts (loopback, a free port) until Ctrl+C.",
        };

        var command = new Command("demo", "Run a full scan of the sample fleet on the built-in ARM emulator and show the results.")
        {
            machines, seed, outputDirectory, verbose, serve,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => RunAsync(
                console,
                result.GetValue(machines),
                result.GetValue(seed),
                result.GetValue(outputDirectory) ?? new DirectoryInfo("demo-output"),
                new CliSettings(isVerbose, Concurrency: null),
                result.GetValue(serve),
                cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, int? machines, int seed, DirectoryInfo outputDirectory, CliSettings settings, bool serve, CancellationToken cancellationToken)
    {
        if (machines is < 1 or > 100_000)
        {
            throw new UsageException("--machines must be between 1 and 100000.");
        }

        var fleet = machines is { } count ? FleetGenerator.Generate(count, seed) : FleetSource.Sample();
        var source = machines is { } n ? $"a generated fleet of {n} machines (seed {seed})" : "the sample fleet (samples/fleet.json)";

        var terminal = ReportWriter.CreateConsole(console.Out, console.Interactive);
        terminal.MarkupLine($"[bold]Compliance demo[/]: scanning {Markup.Escape(source)} on the built-in ARM emulator (HTTPS on loopback, real Azure SDK client).");

        ComplianceReport report;
        ComplianceReport stored;
        terminal.MarkupLine("Starting Azurite (the first run installs it into tools/azurite with npm ci, which takes a minute)...");
        // Kept to the end: with --serve, the app serves these verdicts.
        await using var storage = await LocalStorage.StartInMemoryAsync(settings.Verbose, console.Error, cancellationToken).ConfigureAwait(false);
        var storeDescription = storage.Description;
        terminal.MarkupLine($"Verdicts go to Table Storage: {Markup.Escape(storeDescription)}.");
        await using (var session = await ScanSession.StartForFleetAsync(fleet, settings with { StoreConnectionString = storage.ConnectionString }, cancellationToken).ConfigureAwait(false))
        {
            var scan = await ScanProgressView.RunAsync(console, progress => session.ScanAsync(ScanRequest.AllSubscriptions, progress, cancellationToken)).ConfigureAwait(false);
            report = scan.Report;
            stored = await StoredReport.ReadAsync(session.Verdicts, session.Ledger, StateQuery.All, [], cancellationToken).ConfigureAwait(false);
        }

        outputDirectory.Create();
        var json = Path.Combine(outputDirectory.FullName, "report.json");
        var csv = Path.Combine(outputDirectory.FullName, "report.csv");
        await ReportWriter.WriteAsync(report, ReportFormat.Json, json, console, cancellationToken).ConfigureAwait(false);
        await ReportWriter.WriteAsync(report, ReportFormat.Csv, csv, console, cancellationToken).ConfigureAwait(false);

        var attention = report.Resources
            .Where(r => r.Status != "Compliant")
            .OrderBy(r => r.Status == "ActionRequired" ? 0 : 1)
            .ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (attention.Count > 0)
        {
            terminal.MarkupLine("\n[bold]Resources that need action or could not be checked[/]");
            terminal.Write(ReportWriter.ResourceTable(attention));
        }

        terminal.Write(ReportWriter.SummaryTable(report));
        terminal.MarkupLine($"Stored in Table Storage: {stored.Summary.Total} resources ({stored.Summary.ActionRequired} need action), read back from the store.");
        terminal.MarkupLine($"Reports: [link]{Markup.Escape(json)}[/] and [link]{Markup.Escape(csv)}[/]");
        foreach (var error in report.Errors)
        {
            await console.Error.WriteLineAsync($"compliance: {ReportWriter.Inert(error.Scope)}: {InertText.ForTerminal(error.Message, keepLineFeeds: true)}").ConfigureAwait(false);
        }

        var exitCode = report.Errors.Count > 0 || stored.Summary.Total != report.Summary.Total ? ExitCodes.Failure : ExitCodes.Success;
        if (serve)
        {
            // A free loopback port: the demo never asks for an API key, so it never listens beyond loopback.
            await console.Out.WriteLineAsync().ConfigureAwait(false);
            await ServeCommand.ServeAsync(console, (fleet, source), storage, "http://127.0.0.1:0", [], settings.Verbose, cancellationToken).ConfigureAwait(false);
        }

        return exitCode;
    }
}
