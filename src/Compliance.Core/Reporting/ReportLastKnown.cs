namespace Compliance.Core.Reporting;

/// <summary>Beside an <c>Unknown</c> verdict in the stored state: the last verdict in which the resource was checked.</summary>
/// <param name="Status">Its status.</param>
/// <param name="Actions">Its actions.</param>
/// <param name="FindingCodes">Its finding codes.</param>
/// <param name="CheckedAt">When it was reached.</param>
public sealed record ReportLastKnown(string Status, IReadOnlyList<string> Actions, IReadOnlyList<string> FindingCodes, DateTimeOffset CheckedAt)
{
    /// <summary>The last known part of a stored verdict.</summary>
    public static ReportLastKnown Of(ReportResource verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        return new(verdict.Status, verdict.Actions, verdict.Findings.Select(f => f.Code).ToList(), verdict.CheckedAt);
    }
}
