using Compliance.Core.Notifications;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Remediation;

/// <summary>
/// Keeps a plan's record in step with its steps: the counts, the start, and the completion once every step has an
/// outcome, written with its <c>Compliance.RemediationCompleted</c> notification (conditional writes, so it is written
/// once whoever finishes last), which is then delivered to each sink and kept until each accepted it.
/// </summary>
public sealed class RemediationProgress
{
    private const int MaxAttempts = 8;

    private static readonly TimeSpan DeliveryLease = TimeSpan.FromMinutes(2);

    private readonly IRemediationStore _store;
    private readonly ILeaseStore _leases;
    private readonly IReadOnlyList<INotificationSink> _sinks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RemediationProgress> _logger;

    /// <summary>Creates it.</summary>
    public RemediationProgress(IRemediationStore store, ILeaseStore leases, IEnumerable<INotificationSink> sinks, TimeProvider timeProvider, ILogger<RemediationProgress> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _sinks = sinks.ToList();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Skips a step that has not started (a cancelled plan); a step that started meanwhile is left to finish.</summary>
    public async Task SkipIfPendingAsync(StoredRemediationStep stored, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        for (var attempt = 0; attempt < MaxAttempts && stored is { Step.Status: RemediationStepStatus.Pending }; attempt++)
        {
            var skipped = stored.Step with { Status = RemediationStepStatus.Skipped, Reason = reason, FinishedAt = _timeProvider.GetUtcNow() };
            if (await _store.UpdateStepAsync(skipped, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }

            stored = (await _store.GetStepAsync(stored.Step.PlanId, stored.Step.ResourceId, cancellationToken).ConfigureAwait(false))!;
        }
    }

    /// <summary>Marks an approved plan as running, once its first step starts.</summary>
    public async Task MarkRunningAsync(string planId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var stored = await _store.GetPlanAsync(planId, cancellationToken).ConfigureAwait(false);
            if (stored is not { Plan.State: RemediationPlanState.Approved })
            {
                return;
            }

            var now = _timeProvider.GetUtcNow();
            var running = (stored.Plan with { State = RemediationPlanState.Running, StartedAt = now })
                .With(new RemediationEvent(now, "Started", "compliance", "The first step started."));
            if (await _store.UpdatePlanAsync(running, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Brings the plan's counts up to date, completes it when every step has an outcome, and delivers its completion
    /// notification if a sink still waits for it. The plan as stored afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">A sink did not accept the completion: it stays in the plan, and a later call delivers it.</exception>
    public async Task<RemediationPlan?> RefreshAsync(string planId, CancellationToken cancellationToken)
    {
        StoredRemediationPlan? stored = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            stored = await _store.GetPlanAsync(planId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }

            var steps = (await _store.GetStepsAsync(planId, cancellationToken).ConfigureAwait(false)).Select(s => s.Step).ToList();
            var plan = stored.Plan with { Counts = RemediationCounts.Of(steps) };
            if (plan.State is RemediationPlanState.Approved or RemediationPlanState.Running && steps.All(s => s.IsFinal))
            {
                var now = _timeProvider.GetUtcNow();
                plan = (plan with { State = RemediationPlanState.Completed, CompletedAt = now, StartedAt = plan.StartedAt ?? now })
                    .With(new RemediationEvent(now, "Completed", "compliance", $"{plan.Counts.Succeeded} succeeded ({plan.Counts.VerifiedCompliant} verified compliant), {plan.Counts.Failed} failed, {plan.Counts.Skipped} skipped."));
                plan = plan with { Completion = new PendingNotification(RemediationNotification.Completed(plan, steps), _sinks.Select(s => s.Name).ToList()) };
                RemediationLog.Completed(_logger, planId, plan.Counts.Succeeded, plan.Counts.Failed, plan.Counts.Skipped, plan.Counts.VerifiedCompliant);
            }

            if (plan == stored.Plan)
            {
                break;
            }

            var written = await _store.UpdatePlanAsync(plan, stored.ETag, cancellationToken).ConfigureAwait(false);
            if (written is not null)
            {
                stored = written;
                break;
            }
        }

        return stored is null ? null : await DeliverAsync(stored, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RemediationPlan> DeliverAsync(StoredRemediationPlan stored, CancellationToken cancellationToken)
    {
        if (stored.Plan.Completion is not { PendingSinks.Count: > 0 })
        {
            return stored.Plan;
        }

        // One delivery at a time: two steps finishing together must not both send it.
        var now = _timeProvider.GetUtcNow();
        var lease = await _leases.TryAcquireLeaseAsync("remediation-completion:" + stored.Plan.Id, now, now + DeliveryLease, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return stored.Plan;
        }

        try
        {
            stored = await _store.GetPlanAsync(stored.Plan.Id, cancellationToken).ConfigureAwait(false) ?? stored;
            return await DeliverHeldAsync(stored, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _leases.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<RemediationPlan> DeliverHeldAsync(StoredRemediationPlan stored, CancellationToken cancellationToken)
    {
        if (stored.Plan.Completion is not { } pending || pending.PendingSinks.Count == 0)
        {
            return stored.Plan;
        }

        var accepted = new HashSet<string>(StringComparer.Ordinal);
        Exception? failure = null;
        foreach (var name in pending.PendingSinks)
        {
            var sink = _sinks.FirstOrDefault(s => s.Name == name);
            if (sink is null)
            {
                // No longer configured: nobody is left to deliver it to.
                accepted.Add(name);
                continue;
            }

            try
            {
                await sink.PublishAsync([pending.Message], cancellationToken).ConfigureAwait(false);
                accepted.Add(name);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                RemediationLog.CompletionUndelivered(_logger, stored.Plan.Id, name, ex);
                failure ??= ex;
            }
        }

        for (var attempt = 0; attempt < MaxAttempts && accepted.Count > 0; attempt++)
        {
            var current = stored.Plan.Completion;
            if (current is null)
            {
                break;
            }

            var remaining = current.PendingSinks.Where(s => !accepted.Contains(s)).ToList();
            var settled = stored.Plan with { Completion = current with { PendingSinks = remaining } };
            if (await _store.UpdatePlanAsync(settled, stored.ETag, cancellationToken).ConfigureAwait(false) is { } written)
            {
                stored = written;
                break;
            }

            stored = await _store.GetPlanAsync(stored.Plan.Id, cancellationToken).ConfigureAwait(false) ?? stored;
        }

        return failure is null
            ? stored.Plan
            : throw new InvalidOperationException($"The completion of plan {stored.Plan.Id} was not accepted by every sink; it is tried again.", failure);
    }
}
