using System.Runtime.CompilerServices;
using Compliance.Core.Remediation;

namespace Compliance.Core.Storage.InMemory;

/// <summary>Remediation plans in memory, with the same ETag contract as the Table store.</summary>
public sealed class InMemoryRemediationStore : IRemediationStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (RemediationPlan Plan, string ETag)> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedDictionary<string, (RemediationStep Step, string ETag)>> _steps = new(StringComparer.Ordinal);
    private long _version;

    /// <inheritdoc/>
    public Task CreateAsync(RemediationPlan plan, IReadOnlyList<RemediationStep> steps, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(steps);
        lock (_gate)
        {
            if (_plans.ContainsKey(plan.Id))
            {
                throw new InvalidOperationException($"Plan {plan.Id} exists.");
            }

            var rows = new SortedDictionary<string, (RemediationStep, string)>(StringComparer.OrdinalIgnoreCase);
            foreach (var step in steps)
            {
                rows[step.ResourceId] = (step, NextETag());
            }

            _steps[plan.Id] = rows;
            _plans[plan.Id] = (plan, NextETag());
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<StoredRemediationPlan?> GetPlanAsync(string planId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_plans.TryGetValue(planId, out var found) ? new StoredRemediationPlan(found.Plan, found.ETag) : null);
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<RemediationPlan> ListPlansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<RemediationPlan> plans;
        lock (_gate)
        {
            plans = _plans.Values.Select(p => p.Plan).OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id, StringComparer.Ordinal).ToList();
        }

        foreach (var plan in plans)
        {
            await Task.Yield();
            yield return plan;
        }
    }

    /// <inheritdoc/>
    public Task<StoredRemediationPlan?> UpdatePlanAsync(RemediationPlan plan, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        lock (_gate)
        {
            if (!_plans.TryGetValue(plan.Id, out var current) || current.ETag != etag)
            {
                return Task.FromResult<StoredRemediationPlan?>(null);
            }

            var next = NextETag();
            _plans[plan.Id] = (plan, next);
            return Task.FromResult<StoredRemediationPlan?>(new StoredRemediationPlan(plan, next));
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<StoredRemediationStep>> GetStepsAsync(string planId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredRemediationStep> steps = _steps.TryGetValue(planId, out var rows)
                ? rows.Values.Select(r => new StoredRemediationStep(r.Step, r.ETag)).ToList()
                : [];
            return Task.FromResult(steps);
        }
    }

    /// <inheritdoc/>
    public Task<StoredRemediationStep?> GetStepAsync(string planId, string resourceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_steps.TryGetValue(planId, out var rows) && rows.TryGetValue(resourceId, out var row)
                ? new StoredRemediationStep(row.Step, row.ETag)
                : null);
        }
    }

    /// <inheritdoc/>
    public Task<StoredRemediationStep?> UpdateStepAsync(RemediationStep step, string etag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        lock (_gate)
        {
            if (!_steps.TryGetValue(step.PlanId, out var rows) || !rows.TryGetValue(step.ResourceId, out var current) || current.ETag != etag)
            {
                return Task.FromResult<StoredRemediationStep?>(null);
            }

            var next = NextETag();
            rows[step.ResourceId] = (step, next);
            return Task.FromResult<StoredRemediationStep?>(new StoredRemediationStep(step, next));
        }
    }

    private string NextETag() => "W/\"" + Interlocked.Increment(ref _version) + "\"";
}
