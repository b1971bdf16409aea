using Compliance.Core.Reporting;

namespace Compliance.Server.Api;

/// <summary>A page of verdicts; <paramref name="ContinuationToken"/> asks for the next page, <c>null</c> on the last.</summary>
public sealed record CompliancePage(IReadOnlyList<ReportResource> Items, string? ContinuationToken);
