using Compliance.Core.Storage;

namespace Compliance.Core.Tests.TestData;

/// <summary>
/// A verdict store in front of another, whose writes a test can intercept: to make them fail (the store is down), or to
/// change a state through the store behind just before the write (a concurrent writer).
/// </summary>
public sealed class InterceptedVerdictStore(IVerdictStore inner) : IVerdictStore
{
    /// <summary>Runs before each <see cref="WriteStatesAsync"/>, given the store behind; what it throws, the write throws.</summary>
    public Func<IVerdictStore, Task>? BeforeWrite { get; set; }

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

        return await inner.WriteStatesAsync(writes, cancellationToken);
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
