using System.Runtime.CompilerServices;
using Compliance.Core.Inventory;

namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// The verdicts in memory, for a run without a store and for tests, with the Table store's semantics: states keyed and
/// ordered by their table keys (<see cref="ResourceKey"/>), an ETag that changes on every write, conditional writes
/// that are reported as not written on a mismatch, and history keyed by resource and time, so that writing an entry
/// twice stores it once, read together with the entries still pending in the resource's state. Thread-safe; what it holds lives as long as the instance.
/// </summary>
public sealed class InMemoryVerdictStore : IVerdictStore
{
    private static readonly Comparer<(string Partition, string Row)> _keyOrder = Comparer<(string Partition, string Row)>.Create((a, b) =>
    {
        var partition = string.CompareOrdinal(a.Partition, b.Partition);
        return partition != 0 ? partition : string.CompareOrdinal(a.Row, b.Row);
    });

    private readonly Lock _gate = new();
    private readonly SortedDictionary<(string Partition, string Row), StoredState> _states = new(_keyOrder);
    private readonly Dictionary<(string Partition, long Ticks), HistoryEntry> _history = [];
    private long _version;

    /// <summary>Every state, in the store's order: a snapshot.</summary>
    public IReadOnlyList<StoredState> States
    {
        get
        {
            lock (_gate)
            {
                return [.. _states.Values];
            }
        }
    }

    /// <summary>Every history entry written (not those still pending in a state), by resource and newest first within one: a snapshot.</summary>
    public IReadOnlyList<HistoryEntry> History
    {
        get
        {
            lock (_gate)
            {
                return [.. _history.OrderBy(h => h.Key.Partition, StringComparer.Ordinal).ThenByDescending(h => h.Key.Ticks).Select(h => h.Value)];
            }
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        var keys = resourceIds.Select(id => (Id: id, Key: KeyOf(id))).ToList();
        var found = new Dictionary<string, StoredState>(StringComparer.OrdinalIgnoreCase);
        lock (_gate)
        {
            foreach (var (id, key) in keys)
            {
                // Answered under the ids the caller used; the first spelling of a resource wins, as in the Table store.
                if (!found.ContainsKey(id) && _states.TryGetValue(key, out var state))
                {
                    found[id] = state;
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, StoredState>>(found);
    }

    /// <inheritdoc />
    public Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        var key = KeyOf(resourceId);
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault(key));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);

        var results = new List<StateWriteResult>(writes.Count);
        lock (_gate)
        {
            foreach (var write in writes)
            {
                if (!ResourceKey.IsStorable(new ResourceId(write.State.ResourceId), out var reason))
                {
                    results.Add(new StateWriteResult(write.State.ResourceId, false, null) { Refusal = reason });
                    continue;
                }

                var key = KeyOf(write.State.ResourceId);
                var current = _states.GetValueOrDefault(key);
                if (!string.Equals(current?.ETag, write.ExpectedETag, StringComparison.Ordinal))
                {
                    results.Add(new StateWriteResult(write.State.ResourceId, false, null));
                    continue;
                }

                var stored = new StoredState(write.State, NextETag());
                _states[key] = stored;
                results.Add(new StateWriteResult(write.State.ResourceId, true, stored.ETag));
            }
        }

        return Task.FromResult<IReadOnlyList<StateWriteResult>>(results);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var subscription = query.SubscriptionId?.ToLowerInvariant();
        var prefix = query.ResourceIdPrefix;
        (string, string)? after = query.AfterResourceId is { } afterId ? KeyOf(afterId) : null;
        List<StoredState> matches;
        lock (_gate)
        {
            matches = _states
                .Where(s => subscription is null || string.Equals(s.Key.Partition, subscription, StringComparison.Ordinal))
                .Where(s => after is not { } key || _keyOrder.Compare(s.Key, key) > 0)
                .Select(s => s.Value)
                .Where(s => query.Status is null || string.Equals(s.State.Verdict.Status, query.Status, StringComparison.Ordinal))
                .Where(s => query.Action is null || s.State.Verdict.Actions.Contains(query.Action, StringComparer.Ordinal))
                .Where(s => !query.OnlyWithOutbox || s.State.Outbox.Count > 0)
                .Where(s => prefix is null || s.State.ResourceId.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .ToList();
        }

        foreach (var match in matches)
        {
            // Each item arrives on its own, as from a remote store, so a consumer interleaves with other work the same way.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return match;
        }
    }

    /// <inheritdoc />
    public Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        var key = KeyOf(resourceId);
        lock (_gate)
        {
            // As in the Table store: the entries a crash kept in the state go to the history before the state goes.
            if (_states.Remove(key, out var removed))
            {
                Append(removed.State.PendingHistory);
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    /// <inheritdoc />
    public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        lock (_gate)
        {
            Append(entries);
        }

        return Task.CompletedTask;
    }

    // Under the gate.
    private void Append(IEnumerable<HistoryEntry> entries)
    {
        foreach (var entry in entries)
        {
            _history[(HistoryPartitionOf(entry.ResourceId), entry.At.UtcTicks)] = entry;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var partition = HistoryPartitionOf(resourceId);
        var key = KeyOf(resourceId);
        List<HistoryEntry> written;
        IReadOnlyList<HistoryEntry> pending;
        lock (_gate)
        {
            // The state's entries not yet written are history too (see ResourceHistory); one snapshot of both.
            pending = _states.GetValueOrDefault(key)?.State.PendingHistory ?? [];
            written = [.. _history.Where(h => h.Key.Partition == partition).OrderByDescending(h => h.Key.Ticks).Select(h => h.Value)];
        }

        await foreach (var entry in ResourceHistory.MergeAsync(pending, YieldEachAsync(written, cancellationToken), cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    private static async IAsyncEnumerable<HistoryEntry> YieldEachAsync(List<HistoryEntry> entries, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var entry in entries)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }
    }

    private static (string Partition, string Row) KeyOf(string resourceId)
    {
        var id = new ResourceId(resourceId);
        return (ResourceKey.PartitionKey(id), ResourceKey.RowKey(id));
    }

    private static string HistoryPartitionOf(string resourceId)
    {
        var (partition, row) = KeyOf(resourceId);
        return partition + row;
    }

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _version)}\"";
}
