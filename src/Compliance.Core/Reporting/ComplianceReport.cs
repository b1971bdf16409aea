namespace Compliance.Core.Reporting;

/// <summary>
/// The report of a scan or of the stored state (the fixed report format). Later versions may add properties, never
/// rename or repurpose one.
/// </summary>
/// <param name="ScanId">The scan id.</param>
/// <param name="StartedAt">When the scan started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Summary">Counts by status and action.</param>
/// <param name="Resources">One entry per resource, ordered by id.</param>
/// <param name="Errors">Parts of the scan that failed as a whole (an addition to the fixed format).</param>
public sealed record ComplianceReport(
    string ScanId,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    ReportSummary Summary,
    IReadOnlyList<ReportResource> Resources,
    IReadOnlyList<ReportError> Errors);
