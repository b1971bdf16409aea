using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>
/// The port to persistence (Table Storage): current state per resource with conditional writes, history, scans and the
/// summary. Filters are the store's business; callers never build query text.
/// </summary>
public interface IComplianceStore
{
    /// <summary>Creates what the store needs (tables) if it does not exist.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads the states of the given resources; missing ones are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>Reads one state.</summary>
    Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes states, each only if the stored one still has the expected ETag (or, for <c>null</c>, does not exist).
    /// Writes of one partition are batched. A write whose condition fails is reported, not thrown.
    /// </summary>
    Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Lists states, streaming.</summary>
    IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, CancellationToken cancellationToken);

    /// <summary>Writes history entries. Idempotent: an entry written twice is stored once.</summary>
    Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken);

    /// <summary>Lists a resource's history, newest first.</summary>
    IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a scan record.</summary>
    Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken);

    /// <summary>Lists scans, newest first.</summary>
    IAsyncEnumerable<ScanRecord> GetScansAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the summary counters.</summary>
    Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Reads the summary counters: one read, whatever the fleet's size.</summary>
    Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken);
}
