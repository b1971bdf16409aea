using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Server.Api;

/// <summary>A scan as the API shows it.</summary>
public sealed record ScanView(
    string ScanId,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    long? DurationMs,
    ReportSummary Summary,
    int Recorded,
    int Stale,
    IReadOnlyList<ReportError> Errors)
{
    public static ScanView Of(ScanRecord scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return new(scan.ScanId, scan.StartedAt, scan.CompletedAt, scan.Duration is { } d ? (long)d.TotalMilliseconds : null, scan.Summary, scan.Recorded, scan.Stale, scan.Errors);
    }
}
