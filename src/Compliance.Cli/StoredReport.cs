using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Cli;

/// <summary>The stored state as a report: the resources that match, under the latest completed scan's id and times.</summary>
internal static class StoredReport
{
    public static async Task<ComplianceReport> ReadAsync(IVerdictStore verdicts, IScanLedger ledger, StateQuery query, IReadOnlyList<string> subscriptionIds, CancellationToken cancellationToken)
    {
        var queries = subscriptionIds.Count == 0
            ? [query]
            : subscriptionIds.Distinct(StringComparer.OrdinalIgnoreCase).Select(id => query with { SubscriptionId = id }).ToList();

        var resources = new List<ReportResource>();
        foreach (var each in queries)
        {
            await foreach (var stored in verdicts.QueryStatesAsync(each, cancellationToken).ConfigureAwait(false))
            {
                resources.Add(stored.State.ToReportResource(TimeProvider.System.GetUtcNow()));
            }
        }

        ScanRecord? latest = null;
        await foreach (var scan in ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            if (scan.CompletedAt is not null)
            {
                latest = scan;
                break;
            }
        }

        var ordered = resources.OrderBy(r => r.Id, StringComparer.OrdinalIgnoreCase).ToList();
        return new ComplianceReport(
            latest?.ScanId ?? "none",
            latest?.StartedAt ?? DateTimeOffset.MinValue,
            latest?.CompletedAt ?? DateTimeOffset.MinValue,
            ComplianceReportBuilder.Summarize(ordered),
            ordered,
            []);
    }
}
