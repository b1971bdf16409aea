using Compliance.Core.Rules;

namespace Compliance.Core.Remediation;

/// <summary>
/// A remediation plan: what runs on which machines (its <see cref="RemediationStep"/>s, stored apart), with which reboot
/// policy, how long it is expected to take, and its audit trail. Nothing runs before an operator approves it.
/// </summary>
/// <param name="Id">The plan's id.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Action">What it remediates.</param>
/// <param name="Filter">Which machines it was made for.</param>
/// <param name="RebootSetting">Whether a step may restart its machine.</param>
/// <param name="MaximumDuration">The longest one machine's change may take (<c>installPatches</c>' <c>maximumDuration</c>).</param>
/// <param name="Scripts">The scripts the plan's author chose by name (empty: each machine gets the default scripts for its findings).</param>
/// <param name="ExpectedDuration">How long the whole plan is expected to take at most, at the platform's rate limits and the workers' parallelism.</param>
/// <param name="Counts">Its steps by status.</param>
/// <param name="CreatedBy">Who proposed it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="Events">The audit trail, oldest first.</param>
public sealed record RemediationPlan(
    string Id,
    RemediationPlanState State,
    RemediationAction Action,
    RemediationFilter Filter,
    RebootSetting RebootSetting,
    TimeSpan MaximumDuration,
    IReadOnlyList<string> Scripts,
    TimeSpan ExpectedDuration,
    RemediationCounts Counts,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    IReadOnlyList<RemediationEvent> Events)
{
    /// <summary>Who approved it.</summary>
    public string? ApprovedBy { get; init; }

    /// <summary>When it was approved.</summary>
    public DateTimeOffset? ApprovedAt { get; init; }

    /// <summary>When its first step started.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When it completed or was cancelled.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>
    /// The <c>Compliance.RemediationCompleted</c> notification, written with the completion and kept until every sink
    /// accepted it (the plan's own outbox).
    /// </summary>
    public Storage.PendingNotification? Completion { get; init; }

    /// <summary>Whether the plan still holds its machines: proposed, approved or running.</summary>
    public bool IsActive => State is RemediationPlanState.Proposed or RemediationPlanState.Approved or RemediationPlanState.Running;

    /// <summary>The plan with one more audit entry.</summary>
    public RemediationPlan With(RemediationEvent entry) => this with { Events = [.. Events, entry] };
}
