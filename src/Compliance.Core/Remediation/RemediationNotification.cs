using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Notifications;

namespace Compliance.Core.Remediation;

/// <summary>The <c>Compliance.RemediationCompleted</c> notification of a plan that ended.</summary>
public static class RemediationNotification
{
    /// <summary>The most failures listed in one notification; the plan lists them all.</summary>
    public const int MaxFailures = 20;

    private const int MaxReasonLength = 300;

    /// <summary>The notification of <paramref name="plan"/>, whose steps are <paramref name="steps"/>.</summary>
    public static NotificationMessage Completed(RemediationPlan plan, IReadOnlyList<RemediationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        var failures = new JsonArray();
        foreach (var step in steps.Where(s => s.Status == RemediationStepStatus.Failed).Take(MaxFailures))
        {
            var reason = step.Reason ?? "failed";
            failures.Add(new JsonObject
            {
                ["resourceId"] = step.ResourceId,
                ["reason"] = reason.Length > MaxReasonLength ? reason[..MaxReasonLength] : reason,
            });
        }

        var data = new JsonObject
        {
            ["planId"] = plan.Id,
            ["action"] = plan.Action.ToString(),
            ["state"] = plan.State.ToString(),
            ["succeeded"] = plan.Counts.Succeeded,
            ["failed"] = plan.Counts.Failed,
            ["skipped"] = plan.Counts.Skipped,
            ["verifiedCompliant"] = plan.Counts.VerifiedCompliant,
            ["approvedBy"] = plan.ApprovedBy,
            ["approvedAt"] = plan.ApprovedAt,
            ["completedAt"] = plan.CompletedAt,
            ["failures"] = failures,
            ["failuresListed"] = failures.Count,
        };
        return new NotificationMessage(
            NotificationIds.Create(NotificationTypes.RemediationCompleted, plan.Id),
            NotificationTypes.RemediationCompleted,
            $"/remediations/{plan.Id}",
            plan.CompletedAt ?? plan.CreatedAt,
            data.ToJsonString(JsonSerializerOptions.Web));
    }
}
