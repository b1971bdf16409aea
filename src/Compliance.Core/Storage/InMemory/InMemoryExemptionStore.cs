using System.Runtime.CompilerServices;
using Compliance.Core.Exemptions;

namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// Exemptions in memory, for a run without a store and for tests, with the Table store's semantics: conditional writes
/// by version, idempotent history. Thread-safe; what it holds lives as long as the instance.
/// </summary>
public sealed class InMemoryExemptionStore : IExemptionStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, StoredExemption> _exemptions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Id, DateTimeOffset At, ExemptionChange Change), ExemptionHistoryEntry> _history = [];
    private long _version;

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredExemption> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<StoredExemption> all;
        lock (_gate)
        {
            all = [.. _exemptions.Values];
        }

        foreach (var exemption in all)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return exemption;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<StoredExemption?> GetAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            return Task.FromResult(_exemptions.GetValueOrDefault(id));
        }
    }

    /// <inheritdoc />
    public Task<string?> TryPutAsync(Exemption exemption, PendingNotification? notice, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        lock (_gate)
        {
            var current = _exemptions.GetValueOrDefault(exemption.Id);
            if (current?.ETag != expectedETag)
            {
                return Task.FromResult<string?>(null);
            }

            var etag = $"v{++_version}";
            _exemptions[exemption.Id] = new StoredExemption(exemption, etag, notice);
            return Task.FromResult<string?>(etag);
        }
    }

    /// <inheritdoc />
    public Task<bool> TryDeleteAsync(string id, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_gate)
        {
            if (!_exemptions.TryGetValue(id, out var current) || (expectedETag is not null && current.ETag != expectedETag))
            {
                return Task.FromResult(false);
            }

            return Task.FromResult(_exemptions.Remove(id));
        }
    }

    /// <inheritdoc />
    public Task AppendHistoryAsync(ExemptionHistoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _history[(entry.ExemptionId, entry.At, entry.Change)] = entry;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExemptionHistoryEntry> GetHistoryAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        List<ExemptionHistoryEntry> entries;
        lock (_gate)
        {
            entries = _history.Values.Where(e => e.ExemptionId == id).OrderByDescending(e => e.At).ThenByDescending(e => e.Change).ToList();
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
