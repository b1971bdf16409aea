using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Compliance.Core.Exemptions;
using Compliance.Core.Reporting;
using Spectre.Console;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance exempt add|list|remove --store …</c>: the exemptions of a store. <c>add</c> and <c>remove</c> re-apply
/// the exemption's scope at once through the same code as the API. Exit codes: 0 done, 1 failure, 2 invalid input or
/// unknown id.
/// </summary>
internal static class ExemptCommand
{
    private static readonly JsonSerializerOptions _json = new(ComplianceReportJson.Options);

    public static Command Create(CliConsole console) => new("exempt", "Make, list and remove exemptions (accepted exceptions with a justification and an expiry).")
    {
        Add(console),
        List(console),
        Remove(console),
    };

    private static Option<string> Store() => new("--store")
    {
        Description = "The store: 'azurite' or a storage connection string.",
        Required = true,
    };

    private static Command Add(CliConsole console)
    {
        var store = Store();
        var scope = new Option<string>("--scope") { Description = "/subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, or a VM, scale set, scale-set instance or Cloud Service id.", Required = true };
        var category = new Option<string>("--category") { Description = "Waiver (the risk is accepted) or Mitigated (handled another way).", Required = true };
        var actions = new Option<string[]>("--action") { Description = "An action it covers: GuestUpdate, KvaShadowing, MitigationSettings (repeatable)." };
        var findings = new Option<string[]>("--finding") { Description = "A finding code it covers, such as GUEST_UPDATE_MISSING (repeatable)." };
        var expires = new Option<string?>("--expires") { Description = "When it expires, ISO 8601 with offset: 2027-01-31T00:00:00Z." };
        var duration = new Option<string?>("--for") { Description = "How long it lasts from now: 30d, 12h." };
        var justification = new Option<string>("--justification") { Description = "Why (1-1000 characters).", Required = true };
        var id = new Option<string?>("--id") { Description = "Its id; default: a new one (exm-…)." };
        var by = new Option<string?>("--by") { Description = "Who makes it; default: cli:{user name}." };
        var verbose = new Option<bool>("--verbose") { Description = "Log details and stack traces to standard error." };
        var command = new Command("add", "Make (or replace) an exemption and apply it to the stored verdicts at once.")
        {
            store, scope, category, actions, findings, expires, duration, justification, id, by, verbose,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, async () =>
            {
                var option = StoreOption.Parse(result.GetValue(store));
                var expiresOn = ExpiresOn(result.GetValue(expires), result.GetValue(duration), TimeProvider.System.GetUtcNow());
                var exemptionId = result.GetValue(id) ?? $"exm-{Guid.NewGuid():N}"[..16];
                var request = new ExemptionRequest(
                    result.GetValue(scope),
                    result.GetValue(category),
                    result.GetValue(actions) ?? [],
                    result.GetValue(findings) ?? [],
                    expiresOn,
                    result.GetValue(justification));
                var author = result.GetValue(by) is { Length: > 0 } given ? given : $"cli:{Environment.UserName}";
                await using var session = await OpenAsync(console, option, isVerbose, cancellationToken).ConfigureAwait(false);
                var outcome = await session.Session.Exemptions.PutAsync(exemptionId, request, author, ifMatch: null, cancellationToken).ConfigureAwait(false);
                switch (outcome.Outcome)
                {
                    case ExemptionOutcome.Invalid:
                        throw new UsageException(string.Join("; ", outcome.Errors!.Select(e => $"{Flag(e.Key)} {string.Join(", ", e.Value)}")));
                    case ExemptionOutcome.Created or ExemptionOutcome.Replaced:
                        var written = outcome.Exemption!;
                        await console.Out.WriteLineAsync(
                            $"{(outcome.Outcome == ExemptionOutcome.Created ? "Created" : "Replaced")} exemption {Inert(written.Id)} ({written.Category}) on {Inert(written.Scope)}, "
                            + $"expires {(written.ExpiresOn is { } e ? e.ToString("O", CultureInfo.InvariantCulture) : "never")}.").ConfigureAwait(false);
                        return ExitCodes.Success;
                    default:
                        await console.Error.WriteLineAsync("compliance: the exemption changed while it was being written; try again.").ConfigureAwait(false);
                        return ExitCodes.Failure;
                }
            });
        });
        return command;
    }

    private static Command List(CliConsole console)
    {
        var store = Store();
        var format = new Option<string>("--format") { Description = "table, json or csv.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var all = new Option<bool>("--all") { Description = "Expired exemptions too." };
        var verbose = new Option<bool>("--verbose") { Description = "Log details and stack traces to standard error." };
        var command = new Command("list", "List the exemptions, with how many resources each makes Exempt.") { store, format, all, verbose };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, async () =>
            {
                var option = StoreOption.Parse(result.GetValue(store));
                await using var session = await OpenAsync(console, option, isVerbose, cancellationToken).ConfigureAwait(false);
                var exemptions = await session.Session.Exemptions.ListAsync(result.GetValue(all) ? "all" : "active", scope: null, cancellationToken).ConfigureAwait(false);
                await WriteAsync(console, exemptions, result.GetValue(format) ?? "table", cancellationToken).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static Command Remove(CliConsole console)
    {
        var store = Store();
        var id = new Argument<string>("id") { Description = "The exemption's id." };
        var verbose = new Option<bool>("--verbose") { Description = "Log details and stack traces to standard error." };
        var by = new Option<string?>("--by") { Description = "Who removes it; default: cli:{user name}." };
        var command = new Command("remove", "Remove an exemption; its resources are judged without it at once.") { store, id, by, verbose };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, async () =>
            {
                var option = StoreOption.Parse(result.GetValue(store));
                var exemptionId = result.GetValue(id) ?? string.Empty;
                var author = result.GetValue(by) is { Length: > 0 } given ? given : $"cli:{Environment.UserName}";
                await using var session = await OpenAsync(console, option, isVerbose, cancellationToken).ConfigureAwait(false);
                var outcome = await session.Session.Exemptions.DeleteAsync(exemptionId, author, ifMatch: null, cancellationToken).ConfigureAwait(false);
                switch (outcome)
                {
                    case ExemptionOutcome.Removed:
                        await console.Out.WriteLineAsync($"Removed exemption {Inert(exemptionId)}.").ConfigureAwait(false);
                        return ExitCodes.Success;
                    case ExemptionOutcome.NotFound:
                        throw new UsageException($"there is no exemption '{Inert(exemptionId)}'.");
                    default:
                        await console.Error.WriteLineAsync("compliance: the exemption changed while it was being removed; try again.").ConfigureAwait(false);
                        return ExitCodes.Failure;
                }
            });
        });
        return command;
    }

    /// <summary>The expiry from <c>--expires</c> or <c>--for</c> (not both); <see langword="null"/> for neither.</summary>
    internal static DateTimeOffset? ExpiresOn(string? expires, string? duration, DateTimeOffset now)
    {
        if (expires is not null && duration is not null)
        {
            throw new UsageException("give --expires or --for, not both.");
        }

        if (expires is not null)
        {
            return DateTimeOffset.TryParse(expires, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at.ToUniversalTime()
                : throw new UsageException("--expires takes an ISO 8601 time such as 2027-01-31T00:00:00Z.");
        }

        if (duration is null)
        {
            return null;
        }

        var unit = duration.Length > 1 ? char.ToLowerInvariant(duration[^1]) : ' ';
        if (unit is 'd' or 'h'
            && int.TryParse(duration.AsSpan(0, duration.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count is > 0 and <= 3650 * 24)
        {
            return now + (unit == 'd' ? TimeSpan.FromDays(count) : TimeSpan.FromHours(count));
        }

        throw new UsageException("--for takes a number of days or hours, such as 30d or 12h.");
    }

    private static async Task WriteAsync(CliConsole console, IReadOnlyList<ExemptionView> exemptions, string format, CancellationToken cancellationToken)
    {
        switch (format)
        {
            case "json":
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(exemptions, _json).AsMemory(), cancellationToken).ConfigureAwait(false);
                break;
            case "csv":
                var csv = new StringBuilder();
                csv.Append(Row(["id", "scope", "category", "actions", "findingCodes", "expiresOn", "state", "exemptResources", "justification", "createdBy", "createdAt", "updatedBy", "updatedAt"]));
                foreach (var e in exemptions)
                {
                    csv.Append(Row(
                    [
                        e.Id, e.Scope, e.Category, string.Join(';', e.Actions), string.Join(';', e.FindingCodes),
                        e.ExpiresOn?.ToString("O", CultureInfo.InvariantCulture), e.State, e.ExemptResources?.ToString(CultureInfo.InvariantCulture),
                        e.Justification, e.CreatedBy, e.CreatedAt.ToString("O", CultureInfo.InvariantCulture), e.UpdatedBy, e.UpdatedAt.ToString("O", CultureInfo.InvariantCulture),
                    ]));
                }

                await console.Out.WriteAsync(csv.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
                break;
            default:
                var table = new Table().Border(TableBorder.Rounded)
                    .AddColumn("Id").AddColumn("Scope").AddColumn("Category").AddColumn("Covers").AddColumn("Expires").AddColumn("Exempt").AddColumn("By").AddColumn("Why");
                foreach (var e in exemptions)
                {
                    table.AddRow(
                        new Text(Inert(e.Id)),
                        new Text(Inert(e.Scope)),
                        new Text(Inert(e.Category)),
                        new Text(Inert(string.Join(", ", e.Actions.Concat(e.FindingCodes)))),
                        new Text(e.ExpiresOn is { } at ? at.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture) + (e.State == "expired" ? " (expired)" : string.Empty) : "never"),
                        new Text((e.ExemptResources ?? 0).ToString(CultureInfo.InvariantCulture)),
                        new Text(Inert(e.CreatedBy)),
                        new Text(Inert(e.Justification)));
                }

                ReportWriter.CreateConsole(console.Out, console.Interactive).Write(table);
                break;
        }
    }

    private static string Row(IEnumerable<string?> cells) => string.Join(',', cells.Select(ComplianceReportCsv.Cell)) + "\r\n";

    private static string Flag(string field) => field switch
    {
        "actions" => "--action",
        "findingCodes" => "--finding",
        "expiresOn" => "--expires/--for",
        "body" => "the exemption",
        _ => "--" + field,
    };

    private static string Inert(string? value) => InertText.ForTerminal(value);

    private static async Task<Opened> OpenAsync(CliConsole console, StoreOption store, bool verbose, CancellationToken cancellationToken)
    {
        if (store.Kind == StoreKind.None)
        {
            throw new UsageException("exemptions live in a store: give --store azurite or a storage connection string.");
        }

        var storage = await LocalStorage.OpenAsync(store, verbose, console.Error, cancellationToken).ConfigureAwait(false);
        try
        {
            return new Opened(storage, ScanSession.StartForAzure(new CliSettings(verbose, null, storage.ConnectionString)));
        }
        catch
        {
            await storage.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private sealed record Opened(LocalStorage Storage, ScanSession Session) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync().ConfigureAwait(false);
            await Storage.DisposeAsync().ConfigureAwait(false);
        }
    }
}
