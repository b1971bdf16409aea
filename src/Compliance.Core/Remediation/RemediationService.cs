using System.Security.Cryptography;
using Compliance.Core.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Remediation;

/// <summary>
/// What operators do with remediation plans, for the API and the CLI alike: propose one, approve it (which queues its
/// steps: nothing runs before), cancel it, read them. Every change is recorded in the plan's audit trail with the
/// caller's identity. When remediation is off, every call is refused (<see cref="RemediationRefusalKind.Off"/>).
/// </summary>
public sealed class RemediationService
{
    private const int MaxIdentityLength = 200;
    private const int MaxUpdateAttempts = 5;

    private readonly IRemediationStore _store;
    private readonly RemediationPlanner _planner;
    private readonly RemediationProgress _progress;
    private readonly IScanBatchQueue _queue;
    private readonly IOptions<RemediationOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RemediationService> _logger;

    /// <summary>Creates the service.</summary>
    public RemediationService(
        IRemediationStore store,
        RemediationPlanner planner,
        RemediationProgress progress,
        [FromKeyedServices(RemediationOptions.ServiceKey)] IScanBatchQueue queue,
        IOptions<RemediationOptions> options,
        TimeProvider timeProvider,
        ILogger<RemediationService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _planner = planner ?? throw new ArgumentNullException(nameof(planner));
        _progress = progress ?? throw new ArgumentNullException(nameof(progress));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Whether remediation is on.</summary>
    public bool Enabled => _options.Value.Enabled;

    /// <summary>
    /// Makes a <c>Proposed</c> plan for <paramref name="request"/>, by <paramref name="by"/>. Refused when no machine
    /// would be changed (the refusal lists why, machine by machine, up to a few).
    /// </summary>
    /// <exception cref="RemediationRefusedException">Off, invalid, or nothing to remediate.</exception>
    public async Task<(RemediationPlan Plan, IReadOnlyList<RemediationStep> Steps)> ProposeAsync(RemediationRequest request, string by, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        EnsureEnabled();
        var options = _options.Value;
        var who = Identity(by);
        if (!Enum.IsDefined(request.Action))
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "action must be GuestUpdate, KvaShadowing or MitigationSettings.");
        }

        var reboot = request.RebootSetting ?? options.DefaultRebootSetting;
        var duration = request.MaximumDuration ?? options.DefaultMaximumDuration;
        if (!Enum.IsDefined(reboot))
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "rebootSetting must be IfRequired or Never.");
        }

        if (duration < RemediationOptions.MinPatchDuration || duration > RemediationOptions.MaxPatchDuration)
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "maximumDuration must lie between 15 minutes and 4 hours (installPatches allows at most 4 hours), such as PT2H or 02:00:00.");
        }

        var now = _timeProvider.GetUtcNow();
        var id = NewId(now);
        var (steps, expected) = await _planner.PlanAsync(id, request, reboot, duration, cancellationToken).ConfigureAwait(false);
        var runs = steps.Count(s => s.Status == RemediationStepStatus.Pending);
        if (runs == 0)
        {
            var why = steps.Count == 0
                ? $"No stored verdict selected by the filter is ActionRequired with {request.Action}."
                : string.Join(" ", steps.Take(5).Select(s => $"{s.ResourceId}: {s.Reason}"));
            throw new RemediationRefusedException(RemediationRefusalKind.Conflict, $"Nothing to remediate. {why}");
        }

        var plan = new RemediationPlan(
            id,
            RemediationPlanState.Proposed,
            request.Action,
            request.Filter ?? RemediationFilter.All,
            reboot,
            duration,
            request.Scripts ?? [],
            expected,
            RemediationCounts.Of(steps),
            who,
            now,
            [new RemediationEvent(now, "Proposed", who, $"{runs} machines to change, {steps.Count - runs} skipped; expected to take at most {expected}.")]);
        await _store.CreateAsync(plan, steps, cancellationToken).ConfigureAwait(false);
        RemediationLog.Proposed(_logger, id, request.Action.ToString(), who, runs, steps.Count - runs);
        return (plan, steps);
    }

    /// <summary>
    /// Approves a <c>Proposed</c> plan and queues one message per step to run; refused for any other state, and for its
    /// author when <see cref="RemediationOptions.RequireDifferentApprover"/> is on.
    /// </summary>
    /// <exception cref="RemediationRefusedException">Off, not found, not Proposed, or the author approving their own plan.</exception>
    public async Task<RemediationPlan> ApproveAsync(string planId, string by, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var who = Identity(by);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await FindAsync(planId, cancellationToken).ConfigureAwait(false);
            var plan = stored.Plan;
            if (plan.State != RemediationPlanState.Proposed)
            {
                throw new RemediationRefusedException(RemediationRefusalKind.Conflict, $"Plan {plan.Id} is {plan.State}: only a Proposed plan can be approved.");
            }

            if (_options.Value.RequireDifferentApprover && string.Equals(plan.CreatedBy, who, StringComparison.OrdinalIgnoreCase))
            {
                throw new RemediationRefusedException(
                    RemediationRefusalKind.Forbidden,
                    $"Plan {plan.Id} was proposed by {who}, and {RemediationOptions.SectionName}:{nameof(RemediationOptions.RequireDifferentApprover)} is on: another operator must approve it.");
            }

            var now = _timeProvider.GetUtcNow();
            var approved = (plan with { State = RemediationPlanState.Approved, ApprovedBy = who, ApprovedAt = now })
                .With(new RemediationEvent(now, "Approved", who, $"{plan.Counts.Pending} steps queued."));
            if (await _store.UpdatePlanAsync(approved, stored.ETag, cancellationToken).ConfigureAwait(false) is null)
            {
                if (attempt == MaxUpdateAttempts)
                {
                    throw new RemediationRefusedException(RemediationRefusalKind.Conflict, $"Plan {plan.Id} kept changing; try again.");
                }

                continue;
            }

            var steps = await _store.GetStepsAsync(plan.Id, cancellationToken).ConfigureAwait(false);
            var messages = steps.Where(s => s.Step.Status == RemediationStepStatus.Pending)
                .Select(s => new RemediationStepMessage(plan.Id, s.Step.ResourceId).Serialize())
                .ToList();
            await _queue.SendAsync(messages, cancellationToken).ConfigureAwait(false);
            RemediationLog.Approved(_logger, plan.Id, who, messages.Count);
            return approved;
        }
    }

    /// <summary>
    /// Cancels a plan that has not ended (Proposed, Approved or Running): steps not started are skipped, a step already
    /// running on its machine finishes and is recorded.
    /// </summary>
    /// <exception cref="RemediationRefusedException">Off, not found, or the plan already ended.</exception>
    public async Task<RemediationPlan> CancelAsync(string planId, string by, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var who = Identity(by);
        for (var attempt = 1; ; attempt++)
        {
            var stored = await FindAsync(planId, cancellationToken).ConfigureAwait(false);
            var plan = stored.Plan;
            if (!plan.IsActive)
            {
                throw new RemediationRefusedException(RemediationRefusalKind.Conflict, $"Plan {plan.Id} is {plan.State}: it has ended already.");
            }

            var now = _timeProvider.GetUtcNow();
            var cancelled = (plan with { State = RemediationPlanState.Cancelled, CompletedAt = now })
                .With(new RemediationEvent(now, "Cancelled", who, "Steps not started are skipped."));
            if (await _store.UpdatePlanAsync(cancelled, stored.ETag, cancellationToken).ConfigureAwait(false) is null)
            {
                if (attempt == MaxUpdateAttempts)
                {
                    throw new RemediationRefusedException(RemediationRefusalKind.Conflict, $"Plan {plan.Id} kept changing; try again.");
                }

                continue;
            }

            foreach (var step in await _store.GetStepsAsync(plan.Id, cancellationToken).ConfigureAwait(false))
            {
                await _progress.SkipIfPendingAsync(step, $"The plan was cancelled by {who}.", cancellationToken).ConfigureAwait(false);
            }

            RemediationLog.Cancelled(_logger, plan.Id, who);
            return await _progress.RefreshAsync(plan.Id, cancellationToken).ConfigureAwait(false) ?? cancelled;
        }
    }

    /// <summary>One plan and its steps.</summary>
    /// <exception cref="RemediationRefusedException">Off or not found.</exception>
    public async Task<(RemediationPlan Plan, IReadOnlyList<RemediationStep> Steps)> GetAsync(string planId, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var stored = await FindAsync(planId, cancellationToken).ConfigureAwait(false);
        var steps = await _store.GetStepsAsync(stored.Plan.Id, cancellationToken).ConfigureAwait(false);
        return (stored.Plan, steps.Select(s => s.Step).ToList());
    }

    /// <summary>The plans, newest first, at most <paramref name="top"/>.</summary>
    /// <exception cref="RemediationRefusedException">Off.</exception>
    public async Task<IReadOnlyList<RemediationPlan>> ListAsync(int top, CancellationToken cancellationToken)
    {
        EnsureEnabled();
        var plans = new List<RemediationPlan>();
        await foreach (var plan in _store.ListPlansAsync(cancellationToken).ConfigureAwait(false))
        {
            plans.Add(plan);
            if (plans.Count == top)
            {
                break;
            }
        }

        return plans;
    }

    /// <summary>Whether <paramref name="planId"/> has the shape of a plan id (so it is never sent to the store otherwise).</summary>
    public static bool IsPlanId(string? planId) =>
        planId is { Length: > 4 and <= 64 } && planId.StartsWith("rem-", StringComparison.Ordinal) && planId.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private void EnsureEnabled()
    {
        if (!_options.Value.Enabled)
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Off, RemediationOptions.OffMessage);
        }
    }

    private async Task<StoredRemediationPlan> FindAsync(string planId, CancellationToken cancellationToken)
    {
        if (!IsPlanId(planId))
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, "That is not a plan id (rem-...).");
        }

        return await _store.GetPlanAsync(planId, cancellationToken).ConfigureAwait(false)
            ?? throw new RemediationRefusedException(RemediationRefusalKind.NotFound, $"No remediation plan {planId}.");
    }

    private static string Identity(string by)
    {
        if (string.IsNullOrWhiteSpace(by) || by.Length > MaxIdentityLength || by.Any(char.IsControl))
        {
            throw new RemediationRefusedException(RemediationRefusalKind.Invalid, $"The caller's identity must be 1 to {MaxIdentityLength} printable characters.");
        }

        return by.Trim();
    }

    // Sorts by time in listings and is unguessable enough that ids are not confused across plans.
    private static string NewId(DateTimeOffset now) =>
        $"rem-{now.UtcDateTime:yyyyMMddHHmmss}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()}";
}
