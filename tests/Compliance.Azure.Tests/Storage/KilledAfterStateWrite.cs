using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// A verdict store in front of another whose process dies right after its first state write: the write reaches the
/// store behind, then the call ends as a kill ends it (cancelled), so nothing the writer meant to do next (the history
/// append) happens. Later writes go through.
/// </summary>
public sealed class KilledAfterStateWrite(IVerdictStore inner) : IVerdictStore
{
    private int _kills;

    /// <summary>Whether the kill happened.</summary>
    public bool Killed => Volatile.Read(ref _kills) > 0;

    public Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken) =>
        inner.GetStatesAsync(resourceIds, cancellationToken);

    public Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken) =>
        inner.GetStateAsync(resourceId, cancellationToken);

    public async Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        var results = await inner.WriteStatesAsync(writes, cancellationToken);
        if (Interlocked.Increment(ref _kills) == 1)
        {
            throw new OperationCanceledException("killed right after the state write");
        }

        return results;
    }

    public IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, CancellationToken cancellationToken) =>
        inner.QueryStatesAsync(query, cancellationToken);

    public Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken) =>
        inner.DeleteStateAsync(resourceId, cancellationToken);

    public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken) =>
        inner.AppendHistoryAsync(entries, cancellationToken);

    public IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, CancellationToken cancellationToken) =>
        inner.GetHistoryAsync(resourceId, cancellationToken);
}
