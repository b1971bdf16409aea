using System.Text;
using Compliance.Core.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Compliance.Cli;

/// <summary>
/// Writes a report as JSON, CSV or a table, to a file or to standard output. Every value a person reads in a terminal
/// goes through <see cref="InertText"/>: no escape sequence, bell or bidirectional control reaches the terminal.
/// </summary>
internal static class ReportWriter
{
    /// <summary>Writes <paramref name="report"/> to <paramref name="path"/>, or to the console's output when it is <c>null</c>.</summary>
    public static async Task WriteAsync(ComplianceReport report, ReportFormat format, string? path, CliConsole console, CancellationToken cancellationToken)
    {
        if (path is null)
        {
            await WriteAsync(report, format, console.Out, console.Interactive, cancellationToken).ConfigureAwait(false);
            await console.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        // Written to a temporary file first, so a failed write never leaves half a report behind.
        var temporary = path + ".tmp";
        await using (var writer = new StreamWriter(temporary, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            await WriteAsync(report, format, writer, interactive: false, cancellationToken).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static async Task WriteAsync(ComplianceReport report, ReportFormat format, TextWriter writer, bool interactive, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case ReportFormat.Json:
                await writer.WriteLineAsync(ComplianceReportJson.Serialize(report).AsMemory(), cancellationToken).ConfigureAwait(false);
                break;
            case ReportFormat.Csv:
                await ComplianceReportCsv.WriteAsync(writer, report, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var console = CreateConsole(writer, interactive);
                console.Write(ResourceTable(report.Resources));
                console.Write(SummaryTable(report));
                break;
        }
    }

    /// <summary>A Spectre console over <paramref name="writer"/>; plain text unless a person watches.</summary>
    public static IAnsiConsole CreateConsole(TextWriter writer, bool interactive)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive)
        {
            // Redirected output has no terminal width; keep rows on one line where possible.
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>The resources, one row each, with their findings.</summary>
    public static Table ResourceTable(IEnumerable<ReportResource> resources)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Resource")
            .AddColumn("Kind")
            .AddColumn("OS")
            .AddColumn("Status")
            .AddColumn("Actions")
            .AddColumn("Findings");
        foreach (var resource in resources)
        {
            // Every value can come from Azure or a guest: each is made inert on its own (Text never reads markup), and the
            // table's own line breaks are added between them.
            table.AddRow(
                new Text($"{Inert(resource.Name)}\n{Inert(resource.SubscriptionId[..Math.Min(8, resource.SubscriptionId.Length)])}…/{Inert(resource.ResourceGroup)}"),
                new Text(Inert(resource.Kind)),
                new Text(Inert(resource.Os ?? "-")),
                Status(resource.Status),
                new Text(resource.Actions.Count == 0 ? "-" : string.Join(", ", resource.Actions.Select(Inert))),
                new Text(resource.Findings.Count == 0 ? "-" : string.Join("\n", resource.Findings.Select(f => $"{Inert(f.Severity),-6} {Inert(f.Code)}"))));
        }

        return table;
    }

    /// <summary>Counts by status and action.</summary>
    public static Table SummaryTable(ComplianceReport report)
    {
        var summary = report.Summary;
        var table = new Table().Border(TableBorder.Rounded).Title($"Scan {Markup.Escape(Inert(report.ScanId))}")
            .AddColumn("Total").AddColumn("Compliant").AddColumn("Action required").AddColumn("Unknown").AddColumn("Exempt")
            .AddColumn("Guest update").AddColumn("KVA shadowing").AddColumn("Mitigation settings");
        table.AddRow(
            summary.Total.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Compliant.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.ActionRequired.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Unknown.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.Exempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.ByAction.GetValueOrDefault("GuestUpdate").ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.ByAction.GetValueOrDefault("KvaShadowing").ToString(System.Globalization.CultureInfo.InvariantCulture),
            summary.ByAction.GetValueOrDefault("MitigationSettings").ToString(System.Globalization.CultureInfo.InvariantCulture));
        return table;
    }

    private static IRenderable Status(string status) => status switch
    {
        "Compliant" => new Markup("[green]Compliant[/]"),
        "ActionRequired" => new Markup("[red]ActionRequired[/]"),
        "Unknown" => new Markup("[yellow]Unknown[/]"),
        _ => new Text(Inert(status)),
    };

    /// <summary>A value from Azure or a guest, with control and bidirectional characters shown as marks.</summary>
    public static string Inert(string? value) => InertText.ForTerminal(value);
}
