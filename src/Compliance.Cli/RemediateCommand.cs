using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Compliance.Core.Remediation;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;

namespace Compliance.Cli;

/// <summary>
/// <c>compliance remediate plan|approve|cancel|list|show --store …</c>: writes plans and approvals to the store and the
/// remediation queue, and reads them back; the app (<c>compliance serve</c> or the Functions app) runs the approved
/// steps. Remediation must be on (<c>Compliance__Remediation__Enabled=true</c> in the environment, as for the app);
/// when it is off every subcommand exits 2 saying so. The author or approver is <c>--by</c>, or the signed-in user's
/// name.
/// </summary>
internal static class RemediateCommand
{
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static Command Create(CliConsole console)
    {
        var command = new Command("remediate", "Plan, approve and follow remediation (off unless Compliance__Remediation__Enabled=true).")
        {
            Plan(console), Approve(console), Cancel(console), List(console), Show(console),
        };
        return command;
    }

    private static Option<string> StoreOption() => new("--store")
    {
        Description = "The store the app reads: 'azurite' or a storage connection string.",
        Required = true,
    };

    private static Option<string?> ByOption() => new("--by") { Description = "Who does it, for the audit trail. Default: the signed-in user's name." };

    private static Option<string?> FormatOption()
    {
        var format = new Option<string?>("--format") { Description = "table (default) or json." };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    private static Option<bool> VerboseOption() => new("--verbose") { Description = "Log details and stack traces to standard error." };

    private static Command Plan(CliConsole console)
    {
        var store = StoreOption();
        var action = new Option<string>("--action") { Description = $"What to remediate: {string.Join(", ", Enum.GetNames<RemediationAction>())}.", Required = true };
        var subscription = new Option<string?>("--subscription") { Description = "Only this subscription." };
        var group = new Option<string?>("--resource-group") { Description = "Only this resource group." };
        var resources = new Option<string[]>("--resource") { Description = "Only this resource (repeatable)." };
        var os = new Option<string?>("--os") { Description = "Only Windows or Linux machines." };
        var finding = new Option<string?>("--finding") { Description = "Only machines with this finding code." };
        var reboot = new Option<string?>("--reboot") { Description = "IfRequired or Never. Default: Compliance__Remediation__DefaultRebootSetting (IfRequired)." };
        var duration = new Option<string?>("--max-duration") { Description = "installPatches' maximum duration per machine, such as 2h, 90m or PT2H (15 minutes to 4 hours)." };
        var scripts = new Option<string[]>("--script") { Description = "A remediation script by name (repeatable); default: each machine's default scripts for its findings." };
        var by = ByOption();
        var format = FormatOption();
        var verbose = VerboseOption();
        var command = new Command("plan", "Propose a plan for the machines whose stored verdict needs the action; nothing runs before it is approved.")
        {
            store, action, subscription, group, resources, os, finding, reboot, duration, scripts, by, format, verbose,
        };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, async () =>
            {
                var request = new RemediationRequest(
                    ParseEnum<RemediationAction>(result.GetValue(action), "--action"),
                    new RemediationFilter(
                        Subscription(result.GetValue(subscription)),
                        result.GetValue(group),
                        result.GetValue(resources) is { Length: > 0 } ids ? ids : null,
                        result.GetValue(os),
                        result.GetValue(finding)),
                    result.GetValue(reboot) is { } r ? ParseEnum<RebootSetting>(r, "--reboot") : null,
                    result.GetValue(duration) is { } d ? ParseDuration(d) : null,
                    result.GetValue(scripts) ?? []);
                return await WithServiceAsync(console, result.GetValue(store), isVerbose, async service =>
                {
                    var (plan, steps) = await service.ProposeAsync(request, By(result.GetValue(by)), cancellationToken).ConfigureAwait(false);
                    await WriteAsync(console, result.GetValue(format), plan, steps).ConfigureAwait(false);
                    await console.Error.WriteLineAsync($"Plan {plan.Id} is Proposed. Approve it with: compliance remediate approve --store ... {plan.Id}").ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            });
        });
        return command;
    }

    private static Command Approve(CliConsole console) => Transition(console, "approve", "Approve a Proposed plan: its steps are queued, and the app runs them.", (service, id, by, token) => service.ApproveAsync(id, by, token));

    private static Command Cancel(CliConsole console) => Transition(console, "cancel", "Cancel a plan that has not ended: steps not started are skipped.", (service, id, by, token) => service.CancelAsync(id, by, token));

    private static Command Transition(CliConsole console, string name, string description, Func<RemediationService, string, string, CancellationToken, Task<RemediationPlan>> change)
    {
        var store = StoreOption();
        var id = new Argument<string>("plan") { Description = "The plan's id (rem-...)." };
        var by = ByOption();
        var format = FormatOption();
        var verbose = VerboseOption();
        var command = new Command(name, description) { store, id, by, format, verbose };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => WithServiceAsync(console, result.GetValue(store), isVerbose, async service =>
            {
                var plan = await change(service, result.GetValue(id) ?? string.Empty, By(result.GetValue(by)), cancellationToken).ConfigureAwait(false);
                await WriteAsync(console, result.GetValue(format), plan, null).ConfigureAwait(false);
            }, cancellationToken));
        });
        return command;
    }

    private static Command List(CliConsole console)
    {
        var store = StoreOption();
        var format = FormatOption();
        var verbose = VerboseOption();
        var command = new Command("list", "List the plans, newest first.") { store, format, verbose };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => WithServiceAsync(console, result.GetValue(store), isVerbose, async service =>
            {
                var plans = await service.ListAsync(500, cancellationToken).ConfigureAwait(false);
                if (result.GetValue(format) == "json")
                {
                    await console.Out.WriteLineAsync(JsonSerializer.Serialize(plans, _json)).ConfigureAwait(false);
                    return;
                }

                await console.Out.WriteLineAsync($"{"PLAN",-28} {"STATE",-10} {"ACTION",-18} {"MACHINES",8} {"OK",4} {"FAILED",6} {"SKIPPED",7}  CREATED BY").ConfigureAwait(false);
                foreach (var plan in plans)
                {
                    var c = plan.Counts;
                    await console.Out.WriteLineAsync($"{T(plan.Id),-28} {plan.State,-10} {plan.Action,-18} {c.Total,8} {c.Succeeded,4} {c.Failed,6} {c.Skipped,7}  {T(plan.CreatedBy)}").ConfigureAwait(false);
                }
            }, cancellationToken));
        });
        return command;
    }

    private static Command Show(CliConsole console)
    {
        var store = StoreOption();
        var id = new Argument<string>("plan") { Description = "The plan's id (rem-...)." };
        var format = FormatOption();
        var verbose = VerboseOption();
        var command = new Command("show", "Show a plan: its audit trail and, per machine, what runs, the outcome and the verifying re-check.") { store, id, format, verbose };
        command.SetAction((result, cancellationToken) =>
        {
            var isVerbose = result.GetValue(verbose);
            return CliApplication.GuardAsync(console, isVerbose, () => WithServiceAsync(console, result.GetValue(store), isVerbose, async service =>
            {
                var (plan, steps) = await service.GetAsync(result.GetValue(id) ?? string.Empty, cancellationToken).ConfigureAwait(false);
                await WriteAsync(console, result.GetValue(format), plan, steps).ConfigureAwait(false);
            }, cancellationToken));
        });
        return command;
    }

    private static async Task<int> WithServiceAsync(CliConsole console, string? storeValue, bool verbose, Func<RemediationService, Task> body, CancellationToken cancellationToken)
    {
        var store = Cli.StoreOption.Parse(storeValue);
        if (store.Kind == StoreKind.None)
        {
            throw new UsageException("remediate works on the app's store: give --store azurite or a storage connection string.");
        }

        // Before any store is opened: off is off, whatever else the command says.
        if (!EnabledInEnvironment())
        {
            throw new UsageException(RemediationOptions.OffMessage);
        }

        await using var storage = await LocalStorage.OpenAsync(store, verbose, console.Error, cancellationToken).ConfigureAwait(false);
        await using var session = ScanSession.StartForAzure(new CliSettings(verbose, null, storage.ConnectionString));
        try
        {
            await body(session.Remediation).ConfigureAwait(false);
        }
        catch (RemediationRefusedException ex)
        {
            throw new UsageException(ex.Message);
        }

        return ExitCodes.Success;
    }

    private static bool EnabledInEnvironment() =>
        bool.TryParse(Environment.GetEnvironmentVariable(RemediationOptions.EnabledVariable), out var enabled) && enabled;

    private static async Task WriteAsync(CliConsole console, string? format, RemediationPlan plan, IReadOnlyList<RemediationStep>? steps)
    {
        if (format == "json")
        {
            object value = steps is null ? plan : new { plan, steps };
            await console.Out.WriteLineAsync(JsonSerializer.Serialize(value, _json)).ConfigureAwait(false);
            return;
        }

        var o = console.Out;
        await o.WriteLineAsync($"Plan {T(plan.Id)}: {plan.State}, {plan.Action}, reboot {plan.RebootSetting}, maximum duration {plan.MaximumDuration}").ConfigureAwait(false);
        await o.WriteLineAsync($"  Expected duration: at most {plan.ExpectedDuration}").ConfigureAwait(false);
        var c = plan.Counts;
        await o.WriteLineAsync($"  Machines: {c.Total} ({c.Pending} pending, {c.Running} running, {c.Succeeded} succeeded, {c.Failed} failed, {c.Skipped} skipped, {c.VerifiedCompliant} verified compliant)").ConfigureAwait(false);
        foreach (var entry in plan.Events)
        {
            await o.WriteLineAsync($"  {entry.At.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)} {entry.Kind,-9} {T(entry.By)}: {T(entry.Detail)}").ConfigureAwait(false);
        }

        foreach (var step in steps ?? [])
        {
            var what = step.Patch is { } patch
                ? $"installPatches ({string.Join("+", PatchInstallation.Classifications)}, maximumDuration {patch.MaximumDuration}, rebootSetting {patch.RebootSetting})"
                : step.Scripts.Count > 0 ? string.Join(", ", step.Scripts.Select(s => $"{s.Name} (sha256 {s.Sha256[..12]}…)")) : "nothing";
            await o.WriteLineAsync($"  {step.Status,-9} {T(step.ResourceId)}").ConfigureAwait(false);
            await o.WriteLineAsync($"            runs: {T(what)}").ConfigureAwait(false);
            if (step.Reason is { } reason)
            {
                await o.WriteLineAsync($"            why: {T(reason)}").ConfigureAwait(false);
            }

            foreach (var explained in step.Explained)
            {
                await o.WriteLineAsync($"            explained, not edited: {T(explained)}").ConfigureAwait(false);
            }

            if (step.Verification is { } v)
            {
                await o.WriteLineAsync($"            verified {v.CheckedAt.UtcDateTime.ToString("u", CultureInfo.InvariantCulture)}: {v.Status}{(v.Actions.Count > 0 ? " (" + string.Join(", ", v.Actions) + ")" : string.Empty)}{(v.RebootPending ? ", reboot pending" : string.Empty)}").ConfigureAwait(false);
            }
        }
    }

    private static string T(string? value) => InertText.ForTerminal(value);

    private static string By(string? by) =>
        string.IsNullOrWhiteSpace(by) ? $"{Environment.UserName} (cli)" : by;

    private static string? Subscription(string? value)
    {
        if (value is null)
        {
            return null;
        }

        return Guid.TryParse(value, out var id) ? id.ToString() : throw new UsageException("--subscription must be a subscription id (a GUID).");
    }

    private static T ParseEnum<T>(string? value, string option)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<T>(name)
            : throw new UsageException($"{option} must be one of {string.Join(", ", Enum.GetNames<T>())}.");

    /// <summary>A duration as <c>2h</c>, <c>90m</c>, ISO 8601 (<c>PT2H</c>) or <c>hh:mm:ss</c>.</summary>
    internal static TimeSpan ParseDuration(string value)
    {
        var text = value.Trim();
        if (text.Length > 1 && int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and < 10000)
        {
            switch (char.ToLowerInvariant(text[^1]))
            {
                case 'h':
                    return TimeSpan.FromHours(n);
                case 'm':
                    return TimeSpan.FromMinutes(n);
            }
        }

        return Server.Api.RemediationRequestBody.TryDuration(text, out var duration)
            ? duration
            : throw new UsageException("--max-duration takes a duration such as 2h, 90m, PT2H or 02:00:00.");
    }
}
