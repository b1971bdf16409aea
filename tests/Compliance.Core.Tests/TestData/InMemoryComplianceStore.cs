using System.Runtime.CompilerServices;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Core.Tests.TestData;

/// <summary>
/// A store in memory with the semantics of the Table store that matter to the orchestration: conditional writes by
/// ETag, idempotent history. The real store is tested against Azurite.
/// </summary>
public sealed class InMemoryComplianceStore : IComplianceStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, StoredState> _states = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(string, DateTimeOffset), HistoryEntry> _history = [];
    private readonly Dictionary<string, ScanRecord> _scans = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, int), RecordOutcome> _batches = [];
    private readonly HashSet<string> _events = new(StringComparer.Ordinal);
    private (ReportSummary, string, DateTimeOffset)? _summary;
    private readonly Dictionary<string, StoreLease> _leases = new(StringComparer.Ordinal);
    private int _etag;

    public int LeasesTaken { get; private set; }

    /// <summary>Called before each write batch; a test can change stored states to simulate a concurrent writer.</summary>
    public Action<InMemoryComplianceStore>? BeforeWrite { get; set; }

    public int StateWrites { get; private set; }

    public int HistoryAppends { get; private set; }

    public IReadOnlyList<HistoryEntry> History
    {
        get
        {
            lock (_gate)
            {
                return _history.Values.OrderBy(h => h.ResourceId, StringComparer.OrdinalIgnoreCase).ThenByDescending(h => h.At).ToList();
            }
        }
    }

    public IReadOnlyList<StoredState> States
    {
        get
        {
            lock (_gate)
            {
                return _states.Values.ToList();
            }
        }
    }

    public void Put(ResourceState state)
    {
        lock (_gate)
        {
            _states[state.ResourceId] = new StoredState(state, NextETag());
        }
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<string, StoredState> found = resourceIds
                .Where(_states.ContainsKey)
                .ToDictionary(id => id, id => _states[id], StringComparer.OrdinalIgnoreCase);
            return Task.FromResult(found);
        }
    }

    public Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault(resourceId));
        }
    }

    public Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        BeforeWrite?.Invoke(this);
        lock (_gate)
        {
            var results = new List<StateWriteResult>();
            foreach (var write in writes)
            {
                var current = _states.GetValueOrDefault(write.State.ResourceId);
                if (current?.ETag != write.ExpectedETag)
                {
                    results.Add(new StateWriteResult(write.State.ResourceId, false, null));
                    continue;
                }

                var stored = new StoredState(write.State, NextETag());
                _states[write.State.ResourceId] = stored;
                StateWrites++;
                results.Add(new StateWriteResult(write.State.ResourceId, true, stored.ETag));
            }

            return Task.FromResult<IReadOnlyList<StateWriteResult>>(results);
        }
    }

    public async IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<StoredState> matches;
        lock (_gate)
        {
            matches = _states.Values
                .Where(s => query.SubscriptionId is null || string.Equals(s.State.Verdict.SubscriptionId, query.SubscriptionId, StringComparison.OrdinalIgnoreCase))
                .Where(s => query.Status is null || s.State.Verdict.Status == query.Status)
                .Where(s => query.Action is null || s.State.Verdict.Actions.Contains(query.Action))
                .Where(s => !query.OnlyWithOutbox || s.State.Outbox.Count > 0)
                .OrderBy(s => s.State.ResourceId, StringComparer.OrdinalIgnoreCase)
                .SkipWhile(s => query.AfterResourceId is not null && StringComparer.OrdinalIgnoreCase.Compare(s.State.ResourceId, query.AfterResourceId) <= 0)
                .ToList();
        }

        foreach (var match in matches)
        {
            await Task.Yield();
            yield return match;
        }
    }

    public Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_states.Remove(resourceId));
        }
    }

    public Task<ScanRecord?> GetScanAsync(string scanId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_scans.GetValueOrDefault(scanId));
        }
    }

    public Task<bool> TryFinishScanAsync(ScanRecord finished, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_scans.TryGetValue(finished.ScanId, out var current) && current.CompletedAt is not null)
            {
                return Task.FromResult(false);
            }

            _scans[finished.ScanId] = finished;
            return Task.FromResult(true);
        }
    }

    public Task SaveBatchOutcomeAsync(string scanId, int batchIndex, RecordOutcome outcome, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _batches[(scanId, batchIndex)] = outcome;
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyDictionary<int, RecordOutcome>> GetBatchOutcomesAsync(string scanId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyDictionary<int, RecordOutcome> outcomes = _batches.Where(b => b.Key.Item1 == scanId).ToDictionary(b => b.Key.Item2, b => b.Value);
            return Task.FromResult(outcomes);
        }
    }

    public Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_events.Contains(eventId));
        }
    }

    public Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _events.Add(eventId);
        }

        return Task.CompletedTask;
    }

    public Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var entry in entries)
            {
                _history[(entry.ResourceId.ToLowerInvariant(), entry.At)] = entry;
                HistoryAppends++;
            }
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<HistoryEntry> entries;
        lock (_gate)
        {
            entries = _history.Values.Where(h => string.Equals(h.ResourceId, resourceId, StringComparison.OrdinalIgnoreCase)).OrderByDescending(h => h.At).ToList();
        }

        foreach (var entry in entries)
        {
            await Task.Yield();
            yield return entry;
        }
    }

    public Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _scans[scan.ScanId] = scan;
        }

        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ScanRecord> GetScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ScanRecord> scans;
        lock (_gate)
        {
            scans = _scans.Values.OrderByDescending(s => s.StartedAt).ToList();
        }

        foreach (var scan in scans)
        {
            await Task.Yield();
            yield return scan;
        }
    }

    public Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _summary = (summary, scanId, updatedAt);
        }

        return Task.CompletedTask;
    }

    public Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_summary);
        }
    }

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _etag)}\"";

    public Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(name, out var held) && held.ExpiresAt > now)
            {
                return Task.FromResult<StoreLease?>(null);
            }

            var lease = new StoreLease(name, NextETag(), expiresAt);
            _leases[name] = lease;
            LeasesTaken++;
            return Task.FromResult<StoreLease?>(lease);
        }
    }

    public Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (!_leases.TryGetValue(lease.Name, out var held) || held.ETag != lease.ETag)
            {
                return Task.FromResult<StoreLease?>(null);
            }

            var renewed = new StoreLease(lease.Name, NextETag(), expiresAt);
            _leases[lease.Name] = renewed;
            return Task.FromResult<StoreLease?>(renewed);
        }
    }

    public Task ReleaseLeaseAsync(StoreLease lease, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_leases.TryGetValue(lease.Name, out var held) && held.ETag == lease.ETag)
            {
                _leases.Remove(lease.Name);
            }

            return Task.CompletedTask;
        }
    }
}
