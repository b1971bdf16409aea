namespace Compliance.Core.Remediation;

/// <summary>
/// The port to remediation plans: one record per plan and one per machine (a plan of hundreds of machines does not fit
/// one record), each updated only if it still has the ETag the caller read. Filters are the store's business.
/// </summary>
public interface IRemediationStore
{
    /// <summary>Stores a new plan and its steps (steps first: a plan is never seen without them).</summary>
    /// <exception cref="InvalidOperationException">A plan with that id exists.</exception>
    Task CreateAsync(RemediationPlan plan, IReadOnlyList<RemediationStep> steps, CancellationToken cancellationToken);

    /// <summary>Reads one plan; <see langword="null"/> when there is none.</summary>
    Task<StoredRemediationPlan?> GetPlanAsync(string planId, CancellationToken cancellationToken);

    /// <summary>Every plan, newest first.</summary>
    IAsyncEnumerable<RemediationPlan> ListPlansAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a plan if it still has <paramref name="etag"/>; the new version, or <see langword="null"/> when it changed since.</summary>
    Task<StoredRemediationPlan?> UpdatePlanAsync(RemediationPlan plan, string etag, CancellationToken cancellationToken);

    /// <summary>A plan's steps, in the order of their resource ids.</summary>
    Task<IReadOnlyList<StoredRemediationStep>> GetStepsAsync(string planId, CancellationToken cancellationToken);

    /// <summary>One step; <see langword="null"/> when the plan has none for that machine.</summary>
    Task<StoredRemediationStep?> GetStepAsync(string planId, string resourceId, CancellationToken cancellationToken);

    /// <summary>Replaces a step if it still has <paramref name="etag"/>; the new version, or <see langword="null"/> when it changed since.</summary>
    Task<StoredRemediationStep?> UpdateStepAsync(RemediationStep step, string etag, CancellationToken cancellationToken);
}
