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

    /// <summary>Lists states, streaming, in the store's order (subscription, then encoded resource id).</summary>
    IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, CancellationToken cancellationToken);

    /// <summary>Removes a resource's state (the resource was deleted); its history stays. <c>false</c> when there was none.</summary>
    Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>Writes history entries. Idempotent: an entry written twice is stored once.</summary>
    Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken);

    /// <summary>Lists a resource's history, newest first.</summary>
    IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a scan record.</summary>
    Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken);

    /// <summary>Lists scans, newest first.</summary>
    IAsyncEnumerable<ScanRecord> GetScansAsync(CancellationToken cancellationToken);

    /// <summary>Reads one scan.</summary>
    Task<ScanRecord?> GetScanAsync(string scanId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an unfinished scan record with its finished form, only if no one finished it first (several batch
    /// workers may try); <c>true</c> for the one that did.
    /// </summary>
    Task<bool> TryFinishScanAsync(ScanRecord finished, CancellationToken cancellationToken);

    /// <summary>Records that a batch of a fanned-out scan is done, with what it recorded. Idempotent per batch.</summary>
    Task SaveBatchOutcomeAsync(string scanId, int batchIndex, RecordOutcome outcome, CancellationToken cancellationToken);

    /// <summary>The outcomes of the batches of a scan that are done, by batch index.</summary>
    Task<IReadOnlyDictionary<int, RecordOutcome>> GetBatchOutcomesAsync(string scanId, CancellationToken cancellationToken);

    /// <summary>Whether a resource event with this id was handled already.</summary>
    Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Remembers that a resource event was handled, so a redelivery changes nothing.</summary>
    Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken);

    /// <summary>Replaces the summary counters.</summary>
    Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Reads the summary counters: one read, whatever the fleet's size.</summary>
    Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the lease <paramref name="name"/> until <paramref name="expiresAt"/> when nobody holds it or its holder's
    /// time ran out at <paramref name="now"/>; <see langword="null"/> when someone else holds it. Work that must not run
    /// twice at the same time on any instance (delivering the outbox) runs under one.
    /// </summary>
    Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Extends a lease still held to <paramref name="expiresAt"/>; <see langword="null"/> when it is no longer ours
    /// (it ran out and another holder took it, or it was given back).
    /// </summary>
    Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Gives a lease back; when its time ran out and another holder took it, the other holder keeps it.</summary>
    Task ReleaseLeaseAsync(StoreLease lease, CancellationToken cancellationToken);
}
