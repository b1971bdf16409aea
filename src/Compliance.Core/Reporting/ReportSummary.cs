namespace Compliance.Core.Reporting;

/// <summary>Counts of a report.</summary>
/// <param name="Total">Resources in the report.</param>
/// <param name="Compliant">Resources with status Compliant.</param>
/// <param name="ActionRequired">Resources with status ActionRequired.</param>
/// <param name="Unknown">Resources with status Unknown.</param>
/// <param name="Exempt">Resources with status Exempt.</param>
/// <param name="ByAction">For each action (always every action's key), how many resources need it (Exempt ones not counted).</param>
public sealed record ReportSummary(
    int Total,
    int Compliant,
    int ActionRequired,
    int Unknown,
    int Exempt,
    IReadOnlyDictionary<string, int> ByAction);
