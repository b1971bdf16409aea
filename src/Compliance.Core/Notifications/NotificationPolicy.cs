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
        return Decide(verdict, open, verdict.CheckedAt, exemptionEnd: null);
    }

    /// <summary>
    /// Decides for <paramref name="verdict"/> at <paramref name="now"/> (later than its <c>checkedAt</c> when exemptions
    /// are re-applied to a stored verdict). An <c>Exempt</c> verdict publishes no <c>*Required</c> message: its actions
    /// stay open, marked as exempted. When a later verdict still needs an exempted action, one <c>*Required</c> message
    /// with reason <c>exemptionExpired</c> goes out; <paramref name="exemptionEnd"/> tells, by exemption id, whether the
    /// exemption <c>expired</c> or was <c>removed</c>. An action that resolves is announced as resolved only if it was
    /// announced as required.
    /// </summary>
    public NotificationDecision Decide(ReportResource verdict, IReadOnlyList<OpenAction> open, DateTimeOffset now, Func<string, string>? exemptionEnd)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        ArgumentNullException.ThrowIfNull(open);
        if (verdict.Status == nameof(ComplianceStatus.Unknown))
        {
            return new NotificationDecision(open, []);
        }

        var next = new List<OpenAction>();
        var messages = new List<NotificationMessage>();
        if (verdict.Status == nameof(ComplianceStatus.Exempt) && verdict.Exemption is { } exemption)
        {
            foreach (var action in verdict.Actions)
            {
                next.Add(open.FirstOrDefault(o => o.Action == action) is { } known
                    ? known with { Exempted = true, ExemptionId = exemption.Id }
                    : new OpenAction(action, now) { Exempted = true, ExemptionId = exemption.Id, Unannounced = true });
            }

            messages.AddRange(Resolved(verdict, open, now));
            return new NotificationDecision(next, messages);
        }

        var reminder = _options.Value.ReminderInterval;
        foreach (var action in verdict.Actions)
        {
            var notified = open.FirstOrDefault(o => o.Action == action);
            if (notified is null)
            {
                messages.Add(Required(verdict, action, "entered", now));
                next.Add(new OpenAction(action, now));
            }
            else if (notified.Exempted)
            {
                var ended = notified.ExemptionId is { } id ? exemptionEnd?.Invoke(id) ?? "removed" : "removed";
                messages.Add(Message(verdict, NotificationTypes.RequiredFor(action), action, "exemptionExpired", now, notified.ExemptionId, ended));
                next.Add(new OpenAction(action, now));
            }
            else if (now - notified.NotifiedAt >= reminder)
            {
                messages.Add(Required(verdict, action, "reminder", now));
                next.Add(new OpenAction(action, now));
            }
            else
            {
                next.Add(notified);
            }
        }

        messages.AddRange(Resolved(verdict, open, now));
        return new NotificationDecision(next, messages);
    }

    // An action no longer needed is announced as resolved only if it had been announced as required.
    private static IEnumerable<NotificationMessage> Resolved(ReportResource verdict, IReadOnlyList<OpenAction> open, DateTimeOffset now) =>
        open.Where(o => !verdict.Actions.Contains(o.Action) && !o.Unannounced)
            .Select(o => Message(verdict, NotificationTypes.ActionResolved, o.Action, "resolved", now));

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

    private static NotificationMessage Required(ReportResource verdict, string action, string reason, DateTimeOffset now) =>
        Message(
            verdict,
            NotificationTypes.RequiredFor(action),
            action,
            reason,
            now);

    // The data is the assessment (the report's resource entry), plus why this message was sent.
    private static NotificationMessage Message(ReportResource verdict, string type, string action, string reason, DateTimeOffset now, string? exemptionId = null, string? exemptionEnded = null)
    {
        var data = JsonSerializer.SerializeToNode(verdict, _compact) as JsonObject
            ?? throw new InvalidOperationException("A verdict serialises to a JSON object.");
        var notification = new JsonObject { ["reason"] = reason, ["action"] = action };
        if (exemptionEnded is not null)
        {
            notification["exemptionId"] = exemptionId;
            notification["exemptionEnded"] = exemptionEnded;
        }

        data["notification"] = notification;
        var parts = exemptionEnded is null
            ? new[] { verdict.Id.ToLowerInvariant(), type, action, reason, now.UtcTicks.ToString(CultureInfo.InvariantCulture) }
            : [verdict.Id.ToLowerInvariant(), type, action, reason, exemptionId ?? string.Empty, now.UtcTicks.ToString(CultureInfo.InvariantCulture)];
        return new NotificationMessage(
            NotificationIds.Create(parts),
            type,
            verdict.Id,
            now,
            data.ToJsonString(_compact));
    }

    /// <summary>
    /// The <c>Compliance.ExemptionExpiring</c> notice for <paramref name="exemption"/>, which makes
    /// <paramref name="exemptResources"/> resources <c>Exempt</c> now; one per exemption and <c>expiresOn</c> value.
    /// </summary>
    public static NotificationMessage Expiring(Exemptions.Exemption exemption, int exemptResources, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        var data = new JsonObject
        {
            ["exemption"] = JsonSerializer.SerializeToNode(Exemptions.ExemptionView.Of(exemption), _compact),
            ["exemptResources"] = exemptResources,
        };
        return new NotificationMessage(
            NotificationIds.Create(NotificationTypes.ExemptionExpiring, exemption.Id, exemption.ExpiresOn?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "never"),
            NotificationTypes.ExemptionExpiring,
            $"/exemptions/{exemption.Id}",
            now,
            data.ToJsonString(_compact));
    }
}
