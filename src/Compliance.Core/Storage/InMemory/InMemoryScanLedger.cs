using System.Runtime.CompilerServices;
using Compliance.Core.Reporting;

namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// The scan ledger in memory, for a run without a store and for tests, with the Table store's semantics: scans newest
/// first, a scan finished once whoever tries, batch results replaced per index. Thread-safe; what it holds lives as
/// long as the instance.
/// </summary>
public sealed class InMemoryScanLedger : IScanLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScanRecord> _scans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<int, BatchResult>> _batches = new(StringComparer.Ordinal);
    private (ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)? _summary;

    /// <inheritdoc />
    public Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        lock (_gate)
        {
            _scans[scan.ScanId] = Bounded(scan);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ScanRecord> GetScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        List<ScanRecord> scans;
        lock (_gate)
        {
            // The Table store's order: its key is the start counted down, then the id.
            scans = [.. _scans.Values.OrderByDescending(s => s.StartedAt.UtcTicks).ThenBy(s => s.ScanId, StringComparer.Ordinal)];
        }

        foreach (var scan in scans)
        {
            // Each item arrives on its own, as from a remote store, so a consumer interleaves with other work the same way.
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return scan;
        }
    }

    /// <inheritdoc />
    public Task<ScanRecord?> GetScanAsync(string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanId);
        lock (_gate)
        {
            return Task.FromResult(_scans.GetValueOrDefault(scanId));
        }
    }

    /// <inheritdoc />
    public Task<bool> TryFinishScanAsync(ScanRecord finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finished);
        lock (_gate)
        {
            if (_scans.TryGetValue(finished.ScanId, out var current) && current.CompletedAt is not null)
            {
                return Task.FromResult(false);
            }

            _scans[finished.ScanId] = Bounded(finished);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task SaveBatchResultAsync(string scanId, int batchIndex, BatchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanId);
        ArgumentNullException.ThrowIfNull(result);
        lock (_gate)
        {
            if (!_batches.TryGetValue(scanId, out var results))
            {
                _batches[scanId] = results = [];
            }

            results[batchIndex] = result;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<int, BatchResult>> GetBatchResultsAsync(string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanId);
        lock (_gate)
        {
            IReadOnlyDictionary<int, BatchResult> copy = _batches.TryGetValue(scanId, out var results) ? new Dictionary<int, BatchResult>(results) : [];
            return Task.FromResult(copy);
        }
    }

    /// <inheritdoc />
    public Task<int> PruneBatchResultsAsync(DateTimeOffset doneBefore, CancellationToken cancellationToken)
    {
        var removed = 0;
        lock (_gate)
        {
            foreach (var (scanId, results) in _batches.ToList())
            {
                foreach (var index in results.Where(r => r.Value.DoneAt < doneBefore).Select(r => r.Key).ToList())
                {
                    results.Remove(index);
                    removed++;
                }

                if (results.Count == 0)
                {
                    _batches.Remove(scanId);
                }
            }
        }

        return Task.FromResult(removed);
    }

    /// <inheritdoc />
    public Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(scanId);
        lock (_gate)
        {
            _summary = (summary, scanId, updatedAt);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_summary);
        }
    }

    // As the Table store keeps it: the first errors, each cut to size, and their count.
    private static ScanRecord Bounded(ScanRecord scan) => scan with { Errors = ScanErrors.Bound(scan.Errors), ErrorCount = scan.ErrorCount };
}
