using Compliance.Core.Reporting;

namespace Compliance.Server.Api;

/// <summary>The summary counters and the scan that last refreshed them.</summary>
public sealed record SummaryResponse(ReportSummary Summary, string? ScanId, DateTimeOffset? UpdatedAt);
