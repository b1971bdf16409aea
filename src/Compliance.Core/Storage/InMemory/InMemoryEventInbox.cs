namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// The ids of handled resource events in memory, for a run without a store and for tests. Ids are compared exactly
/// (ordinal), as the Table store's keys compare them. Thread-safe; what it holds lives as long as the instance.
/// </summary>
public sealed class InMemoryEventInbox : IEventInbox
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _handled = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken)
    {
        var key = ResourceKey.Encode(eventId);
        lock (_gate)
        {
            return Task.FromResult(_handled.ContainsKey(key));
        }
    }

    /// <inheritdoc />
    public Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken)
    {
        var key = ResourceKey.Encode(eventId);
        lock (_gate)
        {
            _handled[key] = handledAt;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var old = _handled.Where(e => e.Value < handledBefore).Select(e => e.Key).ToList();
            old.ForEach(key => _handled.Remove(key));
            return Task.FromResult(old.Count);
        }
    }
}
