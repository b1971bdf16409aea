using System.Text.Json;
using Azure.ResourceManager.Compute.Models;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// Reads the script's streams out of an action Run Command result. Windows returns two entries,
/// <c>ComponentStatus/StdOut/succeeded</c> and <c>ComponentStatus/StdErr/succeeded</c>; Linux returns one
/// <c>ProvisioningState/succeeded</c> entry whose message holds <c>[stdout]</c> and <c>[stderr]</c> sections.
/// </summary>
internal static class RunCommandOutput
{
    private const string StdOutPrefix = "ComponentStatus/StdOut/";
    private const string StdErrPrefix = "ComponentStatus/StdErr/";
    private const string ProvisioningPrefix = "ProvisioningState/";
    private const string StdOutMarker = "[stdout]\n";
    private const string StdErrMarker = "\n[stderr]";

    public static GuestCommandResult Read(IReadOnlyList<InstanceViewStatus>? statuses, OsType os) =>
        Read((statuses ?? []).Select(s => new StatusEntry(s.Code, s.Message)).ToList(), os);

    /// <summary>
    /// Reads the <c>value</c> array of a Run Command result as it comes over the wire (the operation status's
    /// <c>properties.output</c> or the final <c>Location</c> body). Anything but an array of objects with string
    /// <c>code</c> and <c>message</c> counts as no entries.
    /// </summary>
    public static GuestCommandResult Read(JsonElement value, OsType os)
    {
        var entries = new List<StatusEntry>();
        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            {
                entries.Add(new StatusEntry(Text(item, "code"), Text(item, "message")));
            }
        }

        return Read(entries, os);
    }

    private static GuestCommandResult Read(IReadOnlyList<StatusEntry> statuses, OsType os)
    {
        var stdout = Find(statuses, StdOutPrefix);
        if (stdout is not null)
        {
            return GuestCommandResult.Completed(stdout.Message ?? string.Empty, Find(statuses, StdErrPrefix)?.Message);
        }

        var provisioning = Find(statuses, ProvisioningPrefix);
        if (provisioning is not null)
        {
            return ReadLinuxMessage(provisioning);
        }

        return GuestCommandResult.Failed(new GuestCheckFailure(
            GuestCheckFailureKind.CheckFailed,
            $"the Run Command result has no output entry for a {os} machine",
            Evidence.Of(("codes", statuses.Select(s => s.Code).ToArray()))));
    }

    private static StatusEntry? Find(IReadOnlyList<StatusEntry> statuses, string prefix) =>
        statuses.FirstOrDefault(s => s.Code?.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true);

    private static GuestCommandResult ReadLinuxMessage(StatusEntry status)
    {
        var message = (status.Message ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal);
        var succeeded = status.Code?.StartsWith(ProvisioningPrefix + "succeeded", StringComparison.OrdinalIgnoreCase) == true;
        if (!succeeded)
        {
            return GuestCommandResult.Failed(new GuestCheckFailure(
                GuestCheckFailureKind.CheckFailed,
                "the script did not run to completion (" + FirstLine(message) + ")",
                Evidence.Of(("code", status.Code))));
        }

        var start = message.IndexOf(StdOutMarker, StringComparison.Ordinal);
        if (start < 0)
        {
            return GuestCommandResult.Failed(new GuestCheckFailure(
                GuestCheckFailureKind.OutputUnreadable,
                "the Linux Run Command output has no [stdout] section",
                Evidence.Of(("code", status.Code))));
        }

        start += StdOutMarker.Length;
        // The stderr section comes last; the last marker is the platform's (a guest could print one of its own).
        var end = message.LastIndexOf(StdErrMarker, StringComparison.Ordinal);
        if (end < start)
        {
            return GuestCommandResult.Completed(message[start..], stderr: null);
        }

        var stderr = message[(end + StdErrMarker.Length)..];
        return GuestCommandResult.Completed(message[start..end], stderr.StartsWith('\n') ? stderr[1..] : stderr);
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String ? property.GetString() : null;

    /// <summary>One entry of a Run Command result: a status code and its message.</summary>
    private sealed record StatusEntry(string? Code, string? Message);

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length <= 200 ? line : line[..200];
    }
}
