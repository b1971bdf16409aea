using Compliance.Core.Rules;

namespace Compliance.Core.Scanning;

/// <summary>The outcome of a scan.</summary>
/// <param name="ScanId">A unique, time-ordered id.</param>
/// <param name="StartedAt">When the scan started.</param>
/// <param name="CompletedAt">When it ended.</param>
/// <param name="Assessments">One verdict per resource, ordered by resource id.</param>
/// <param name="Errors">Parts of the scan that failed as a whole.</param>
public sealed record ScanResult(
    string ScanId,
    DateTimeOffset StartedAt,
    DateTimeOffset CompletedAt,
    IReadOnlyList<Assessment> Assessments,
    IReadOnlyList<ScanError> Errors);
