using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Server.Dashboard;

/// <summary>Everything the dashboard shows, read from the store for one request.</summary>
/// <param name="Summary">The summary counters (all zero before the first scan completed).</param>
/// <param name="ScanId">The scan that last refreshed the counters, or <c>null</c> when none has.</param>
/// <param name="UpdatedAt">When the counters were last refreshed, or <c>null</c> when they never were.</param>
/// <param name="Scans">The recent completed scans, oldest first.</param>
/// <param name="ActionRequired">The VMs and scale-set instances with status ActionRequired.</param>
/// <param name="Unknown">The VMs and scale-set instances with status Unknown, with their last known verdict.</param>
/// <param name="CloudServices">The Cloud Services, whatever their status.</param>
/// <param name="GeneratedAt">When the page was made.</param>
internal sealed record DashboardData(
    ReportSummary Summary,
    string? ScanId,
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<ScanRecord> Scans,
    DashboardRows ActionRequired,
    DashboardRows Unknown,
    DashboardRows CloudServices,
    DateTimeOffset GeneratedAt)
{
    /// <summary>The exemptions, active first, each with the number of resources it makes Exempt.</summary>
    public IReadOnlyList<Core.Exemptions.ExemptionView> Exemptions { get; init; } = [];

    /// <summary>How long before its expiry an exemption is marked as expiring soon.</summary>
    public TimeSpan ExpiringSoon { get; init; } = TimeSpan.FromDays(7);
}
