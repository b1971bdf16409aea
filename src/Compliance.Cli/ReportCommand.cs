using System.CommandLine;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance report --store …</c>: prints the stored state in the report format (so it can be compared with a
/// scan's report), filtered by status, action and subscription. Exit code 0, or 3 when a listed resource needs action.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var store = new Option<string>("--store")
        {
            Description = "The store to read: 'azurite' or a storage connection string.",
            Required = true,
        };
        var format = new Option<string?>("--format") { Description = "json, table or csv. Default: json with --out, table otherwise." };
        format.AcceptOnlyFromAmong("json", "table", "csv");
        var output = new Option<FileInfo?>("--out") { Description = "Write the report to this file instead of standard output." };
        var status = new Option<string?>("--status") { Description = $"Only resources with this status: {string.Join(", ", Enum.GetNames<ComplianceStatus>())}." };
        var action = new Option<string?>("--action") { Description = $"Only resources that need this action: {string.Join(", ", Enum.GetNames<RemediationAction>())}." };
        var subscriptions = new Option<string[]>("--subscription") { Description = "Only this subscription (repeatable)." };
        var verbose = new Option<bool>("--verbose") { Description = "Log details and stack traces to standard error." };

        var command = new Command("report", "Print the stored compliance state in the report format.")
        {
            store, format, output, status, action, subscriptions, verbose,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => RunAsync(
                console,
                StoreOption.Parse(result.GetValue(store)),
                result.GetValue(format),
                result.GetValue(output),
                result.GetValue(status),
                result.GetValue(action),
                result.GetValue(subscriptions) ?? [],
                isVerbose,
                cancellationToken));
        });
        return command;
    }

    private static async Task<int> RunAsync(
        CliConsole console,
        StoreOption store,
        string? formatName,
        FileInfo? output,
        string? status,
        string? action,
        string[] subscriptionIds,
        bool verbose,
        CancellationToken cancellationToken)
    {
        if (store.Kind == StoreKind.None)
        {
            throw new UsageException("report reads a store: give --store azurite or a storage connection string.");
        }

        SubscriptionArguments.Check(subscriptionIds);

        var format = formatName is null
            ? output is null ? ReportFormat.Table : ReportFormat.Json
            : Enum.Parse<ReportFormat>(formatName, ignoreCase: true);

        var query = new StateQuery { Status = Canonical<ComplianceStatus>(status), Action = Canonical<RemediationAction>(action) };
        await using var storage = await LocalStorage.OpenAsync(store, verbose, console.Error, cancellationToken).ConfigureAwait(false);
        await using var session = ScanSession.StartForAzure(new CliSettings(verbose, null, storage.ConnectionString));
        var report = await StoredReport.ReadAsync(session.Verdicts, session.Ledger, query, subscriptionIds, cancellationToken).ConfigureAwait(false);

        await ReportWriter.WriteAsync(report, format, output?.FullName, console, cancellationToken).ConfigureAwait(false);
        return report.Summary.ActionRequired > 0 ? ExitCodes.ActionRequired : ExitCodes.Success;
    }

    // Any casing is accepted; the store holds the canonical names.
    private static string? Canonical<T>(string? value)
        where T : struct, Enum
    {
        if (value is null)
        {
            return null;
        }

        // By name only: Enum.TryParse would read "ActionRequired,Unknown" as flags (Exempt).
        return Enum.GetNames<T>().FirstOrDefault(name => string.Equals(name, value, StringComparison.OrdinalIgnoreCase))
            ?? throw new UsageException($"'{InertText.ForTerminal(value)}' is not one of {string.Join(", ", Enum.GetNames<T>())} (one value).");
    }
}
