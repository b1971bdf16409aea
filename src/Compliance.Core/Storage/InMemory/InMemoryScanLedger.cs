using System.Runtime.CompilerServices;
using Compliance.Core.Reporting;

namespace Compliance.Core.Storage.InMemory;

/// <summary>
/// The scan ledger in memory, for a run without a store and for tests, with the Table store's semantics: scans newest
/// first, a scan finished once whoever tries, batch outcomes replaced per index. Thread-safe; what it holds lives as
/// long as the instance.
/// </summary>
public sealed class InMemoryScanLedger : IScanLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ScanRecord> _scans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<int, RecordOutcome>> _batches = new(StringComparer.Ordinal);
    private (ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)? _summary;

    /// <inheritdoc />
    public Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        lock (_gate)
        {
            _scans[scan.ScanId] = scan;
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

            _scans[finished.ScanId] = finished;
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task SaveBatchOutcomeAsync(string scanId, int batchIndex, RecordOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanId);
        ArgumentNullException.ThrowIfNull(outcome);
        lock (_gate)
        {
            if (!_batches.TryGetValue(scanId, out var outcomes))
            {
                _batches[scanId] = outcomes = [];
            }

            outcomes[batchIndex] = outcome;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<int, RecordOutcome>> GetBatchOutcomesAsync(string scanId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scanId);
        lock (_gate)
        {
            IReadOnlyDictionary<int, RecordOutcome> copy = _batches.TryGetValue(scanId, out var outcomes) ? new Dictionary<int, RecordOutcome>(outcomes) : [];
            return Task.FromResult(copy);
        }
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
}
