namespace Compliance.Core.Reporting;

/// <summary>
/// Beside an <c>Exempt</c> status: the exemption that makes it so (of several, the one that expires last) and the status
/// the resource has without it. The actions, findings and evidence stay in the verdict.
/// </summary>
/// <param name="Id">The exemption's id.</param>
/// <param name="Category"><c>Waiver</c> or <c>Mitigated</c>.</param>
/// <param name="Justification">Why.</param>
/// <param name="ExpiresOn">When it expires; <see langword="null"/>: never.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="UnderlyingStatus">The status without the exemption: <c>ActionRequired</c>.</param>
public sealed record ReportExemption(
    string Id,
    string Category,
    string Justification,
    DateTimeOffset? ExpiresOn,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UnderlyingStatus);
