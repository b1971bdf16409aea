using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Core.Scanning;

/// <summary>
/// Refreshes the summary counters from the stored state. One pass per scan keeps <c>/api/summary</c> a single read;
/// the counters cover every stored resource, which is also what a scan record's summary means (the state of the fleet
/// when the scan completed), so the trend over scans reads the same numbers. The same pass hands each state to a
/// <see cref="PendingHistorySweep"/>: it is the one read of every state a scan makes, so history entries a crash kept
/// in their states reach the history at the end of the scan without a read of their own.
/// </summary>
public static class StoredSummary
{
    /// <summary>
    /// Counts the stored verdicts, saves the counters under <paramref name="scanId"/> and returns them; offers each state
    /// to <paramref name="sweep"/>, and completes it, when there is one.
    /// </summary>
    public static async Task<ReportSummary> RefreshAsync(IVerdictStore verdicts, IScanLedger ledger, string scanId, TimeProvider timeProvider, PendingHistorySweep? sweep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var counter = new ReportSummaryCounter();
        await foreach (var stored in verdicts.QueryStatesAsync(StateQuery.All, cancellationToken).ConfigureAwait(false))
        {
            counter.Add(stored.State.Verdict);
            if (sweep is not null)
            {
                await sweep.OfferAsync(stored, cancellationToken).ConfigureAwait(false);
            }
        }

        if (sweep is not null)
        {
            await sweep.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var summary = counter.ToSummary();
        await ledger.SaveSummaryAsync(summary, scanId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return summary;
    }
}
