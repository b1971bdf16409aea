using Compliance.Core.Reporting;

namespace Compliance.Server.Dashboard;

/// <summary>The rows of one dashboard table: the first ones found, and how many there are in all.</summary>
/// <param name="Shown">The resources the table lists, in the store's order.</param>
/// <param name="Total">How many resources belong in the table; more than <paramref name="Shown"/> when it was cut short.</param>
internal sealed record DashboardRows(IReadOnlyList<ReportResource> Shown, int Total)
{
    /// <summary>An empty table.</summary>
    public static DashboardRows None { get; } = new([], 0);
}
