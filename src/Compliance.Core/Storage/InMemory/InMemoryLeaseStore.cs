namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// Leases in memory, for a run without a store and for tests, with the Table store's semantics: one holder at a time
/// until the expiry it asked for (compared with the caller's <c>now</c>), a new version on every take-over and renewal,
/// and renewal and release only by the version held. Thread-safe; what it holds lives as long as the instance.
/// </summary>
public sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoreLease> _leases = new(StringComparer.Ordinal);
    private long _version;

    /// <inheritdoc />
    public Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var key = ResourceKey.Encode(name);
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var held) && held.ExpiresAt > now)
            {
                return Task.FromResult<StoreLease?>(null);
            }

            var lease = new StoreLease(name, NextETag(), expiresAt);
            _leases[key] = lease;
            return Task.FromResult<StoreLease?>(lease);
        }
    }

    /// <inheritdoc />
    public Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = ResourceKey.Encode(lease.Name);
        lock (_gate)
        {
            if (!_leases.TryGetValue(key, out var held) || !string.Equals(held.ETag, lease.ETag, StringComparison.Ordinal))
            {
                return Task.FromResult<StoreLease?>(null);
            }

            var renewed = lease with { ETag = NextETag(), ExpiresAt = expiresAt };
            _leases[key] = renewed;
            return Task.FromResult<StoreLease?>(renewed);
        }
    }

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(StoreLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var key = ResourceKey.Encode(lease.Name);
        lock (_gate)
        {
            if (_leases.TryGetValue(key, out var held) && string.Equals(held.ETag, lease.ETag, StringComparison.Ordinal))
            {
                _leases.Remove(key);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var old = _leases.Where(l => l.Value.ExpiresAt < expiredBefore).Select(l => l.Key).ToList();
            old.ForEach(key => _leases.Remove(key));
            return Task.FromResult(old.Count);
        }
    }

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _version)}\"";
}
