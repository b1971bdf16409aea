namespace Compliance.Core.Storage;

/// <summary>
/// The port to the verdicts: current state per resource with conditional writes, and each resource's history. Filters
/// are the store's business; callers never build query text.
/// </summary>
public interface IVerdictStore
{
    /// <summary>Reads the states of the given resources; missing ones are absent from the result.</summary>
    Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken);

    /// <summary>Reads one state.</summary>
    Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes states, each only if the stored one still has the expected ETag (or, for <c>null</c>, does not exist).
    /// Writes of one partition are batched. A write whose condition fails is reported, not thrown; so is a write the
    /// store cannot hold at all (<see cref="StateWriteResult.Refusal"/>: a key beyond <see cref="ResourceKey.MaxKeyLength"/>,
    /// a state beyond the store's size limits), and the other writes are made.
    /// </summary>
    Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Lists states, streaming, in the store's order (subscription, then encoded resource id).</summary>
    IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Removes a resource's state (the resource was deleted); its history stays, with the entries still pending in the
    /// state written to it first. <c>false</c> when there was none.
    /// </summary>
    Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken);

    /// <summary>Writes history entries. Idempotent: an entry written twice is stored once.</summary>
    Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken);

    /// <summary>
    /// Lists a resource's history, newest first: the entries written and those still pending in its state (a process
    /// that died between writing a state and appending its entry leaves the entry there), each once.
    /// </summary>
    IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, CancellationToken cancellationToken);
}
