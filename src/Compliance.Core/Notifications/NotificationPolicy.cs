using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Notifications;

/// <summary>
/// Decides what to publish for a new verdict, given the actions already notified. A resource that enters a state
/// needing <c>GuestUpdate</c>, <c>KvaShadowing</c> or <c>MitigationSettings</c> is notified once; while it still needs
/// it, a reminder follows every <see cref="NotificationOptions.ReminderInterval"/>; when a checked verdict no longer needs it,
/// <c>Compliance.ActionResolved</c> is published. An <c>Unknown</c> verdict proves nothing either way, so it changes
/// nothing. The open actions live in the store beside the verdict, so the same transition is never published twice,
/// across restarts too.
/// </summary>
public sealed class NotificationPolicy
{
    private static readonly JsonSerializerOptions _compact = new(ComplianceReportJson.Options) { WriteIndented = false };

    private readonly IOptions<NotificationOptions> _options;

    /// <summary>Creates the policy.</summary>
    public NotificationPolicy(IOptions<NotificationOptions> options) =>
        _options = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Decides for <paramref name="verdict"/>, observed at its <c>checkedAt</c>.</summary>
    public NotificationDecision Decide(ReportResource verdict, IReadOnlyList<OpenAction> open)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(open);
        if (verdict.Status == nameof(ComplianceStatus.Unknown))
        {
            return new NotificationDecision(open, []);
        }

        var now = verdict.CheckedAt;
        var reminder = _options.Value.ReminderInterval;
        var next = new List<OpenAction>();
        var messages = new List<NotificationMessage>();
        foreach (var action in verdict.Actions)
        {
            var notified = open.FirstOrDefault(o => o.Action == action);
            if (notified is null)
            {
                messages.Add(Required(verdict, action, "entered"));
                next.Add(new OpenAction(action, now));
            }
            else if (now - notified.NotifiedAt >= reminder)
            {
                messages.Add(Required(verdict, action, "reminder"));
                next.Add(new OpenAction(action, now));
            }
            else
            {
                next.Add(notified);
            }
        }

        foreach (var resolved in open.Where(o => !verdict.Actions.Contains(o.Action)))
        {
            messages.Add(Message(verdict, NotificationTypes.ActionResolved, resolved.Action, "resolved"));
        }

        return new NotificationDecision(next, messages);
    }

    /// <summary>The <c>Compliance.ScanCompleted</c> digest of a scan.</summary>
    public static NotificationMessage Digest(ScanRecord scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        var data = new JsonObject
        {
            ["scanId"] = scan.ScanId,
            ["startedAt"] = scan.StartedAt,
            ["completedAt"] = scan.CompletedAt,
            ["summary"] = JsonSerializer.SerializeToNode(scan.Summary, _compact),
            ["status"] = scan.Status.ToString(),
            ["recorded"] = scan.Recorded,
            ["stale"] = scan.Stale,
            ["batches"] = scan.Batches,
            ["abandonedBatches"] = scan.AbandonedBatches,
            ["errorCount"] = scan.ErrorCount,
            ["errors"] = JsonSerializer.SerializeToNode(ScanErrors.Bound(scan.Errors), _compact),
        };
        return new NotificationMessage(
            NotificationIds.Create(NotificationTypes.ScanCompleted, scan.ScanId),
            NotificationTypes.ScanCompleted,
            $"/scans/{scan.ScanId}",
            scan.CompletedAt ?? scan.StartedAt,
            data.ToJsonString(_compact));
    }

    private static NotificationMessage Required(ReportResource verdict, string action, string reason) =>
        Message(
            verdict,
            NotificationTypes.RequiredFor(action),
            action,
            reason);

    // The data is the assessment (the report's resource entry), plus why this message was sent.
    private static NotificationMessage Message(ReportResource verdict, string type, string action, string reason)
    {
        var data = JsonSerializer.SerializeToNode(verdict, _compact) as JsonObject
            ?? throw new InvalidOperationException("A verdict serialises to a JSON object.");
        data["notification"] = new JsonObject { ["reason"] = reason, ["action"] = action };
        return new NotificationMessage(
            NotificationIds.Create(verdict.Id.ToLowerInvariant(), type, action, reason, verdict.CheckedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)),
            type,
            verdict.Id,
            verdict.CheckedAt,
            data.ToJsonString(_compact));
    }
}
