using Compliance.Core.Storage;

namespace Compliance.Testing;

/// <summary>
/// A verdict store in front of another, whose writes a test can intercept: to make them fail (the store is down), to
/// change a state through the store behind just before the write (a concurrent writer), or to end the call right after
/// the write reached the store (a process killed before it could do what came next).
/// </summary>
public sealed class InterceptedVerdictStore(IVerdictStore inner) : IVerdictStore
{
    /// <summary>Runs before each <see cref="WriteStatesAsync"/>, given the store behind; what it throws, the write throws.</summary>
    public Func<IVerdictStore, Task>? BeforeWrite { get; set; }

    /// <summary>Runs after each <see cref="WriteStatesAsync"/> reached the store behind; what it throws, the write throws.</summary>
    public Func<IVerdictStore, Task>? AfterWrite { get; set; }

    public Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken) =>
        inner.GetStatesAsync(resourceIds, cancellationToken);

    public Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken) =>
        inner.GetStateAsync(resourceId, cancellationToken);

    public async Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        if (BeforeWrite is { } intercept)
        {
            await intercept(inner);
        }

        var results = await inner.WriteStatesAsync(writes, cancellationToken);
        if (AfterWrite is { } after)
        {
            await after(inner);
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
