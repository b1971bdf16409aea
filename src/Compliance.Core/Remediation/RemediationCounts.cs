namespace Compliance.Core.Remediation;

/// <summary>A plan's steps by status, and how many of the succeeded ones a verifying check found compliant.</summary>
/// <param name="Total">Every step.</param>
/// <param name="Pending">Not started.</param>
/// <param name="Running">Running.</param>
/// <param name="Succeeded">Changed.</param>
/// <param name="Failed">Failed.</param>
/// <param name="Skipped">Not run.</param>
/// <param name="VerifiedCompliant">Re-checked after the change and found <c>Compliant</c>.</param>
public sealed record RemediationCounts(int Total, int Pending, int Running, int Succeeded, int Failed, int Skipped, int VerifiedCompliant)
{
    /// <summary>The counts of <paramref name="steps"/>.</summary>
    public static RemediationCounts Of(IEnumerable<RemediationStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var list = steps.ToList();
        return new RemediationCounts(
            list.Count,
            list.Count(s => s.Status == RemediationStepStatus.Pending),
            list.Count(s => s.Status == RemediationStepStatus.Running),
            list.Count(s => s.Status == RemediationStepStatus.Succeeded),
            list.Count(s => s.Status == RemediationStepStatus.Failed),
            list.Count(s => s.Status == RemediationStepStatus.Skipped),
            list.Count(s => s.Verification is { Status: "Compliant" }));
    }
}
