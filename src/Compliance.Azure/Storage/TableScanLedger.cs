using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// The scan ledger on Azure Table Storage. <c>Scans</c>: one partition of scans, newest first (the key counts the start
/// down), and one partition per fanned-out scan for its batch results. <c>Summary</c>: one row.
/// </summary>
internal sealed class TableScanLedger : IScanLedger
{
    private readonly TableStoreTables _tables;
    private readonly TableClient _scans;
    private readonly TableClient _summary;

    public TableScanLedger(TableStoreTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _scans = tables.Scans;
        _summary = tables.Summary;
    }

    /// <inheritdoc />
    public async Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _scans.UpsertEntityAsync(StoreEntities.Scan(scan), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ScanRecord> GetScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.ScansPartition)]);
        await foreach (var entity in _scans.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return StoreEntities.ToScan(entity);
        }
    }

    /// <inheritdoc />
    public async Task<ScanRecord?> GetScanAsync(string scanId, CancellationToken cancellationToken)
    {
        var entity = await FindScanAsync(scanId, cancellationToken).ConfigureAwait(false);
        return entity is null ? null : StoreEntities.ToScan(entity);
    }

    /// <inheritdoc />
    public async Task<bool> TryFinishScanAsync(ScanRecord finished, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(finished);
        var current = await FindScanAsync(finished.ScanId, cancellationToken).ConfigureAwait(false);
        if (current is not null && StoreEntities.ToScan(current).CompletedAt is not null)
        {
            return false;
        }

        try
        {
            var entity = StoreEntities.Scan(finished);
            if (current is null)
            {
                await _scans.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _scans.UpdateEntityAsync(entity, current.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Someone else finished it between the read and the write.
            return false;
        }
    }

    /// <inheritdoc />
    public async Task SaveBatchResultAsync(string scanId, int batchIndex, BatchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _scans.UpsertEntityAsync(StoreEntities.Batch(scanId, batchIndex, result), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<int, BatchResult>> GetBatchResultsAsync(string scanId, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var results = new Dictionary<int, BatchResult>();
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.BatchesPartition(scanId))]);
        await foreach (var entity in _scans.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var (index, result) = StoreEntities.ToBatch(entity);
            results[index] = result;
        }

        return results;
    }

    /// <inheritdoc />
    public async Task<int> PruneBatchResultsAsync(DateTimeOffset doneBefore, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        // Every scan's batches: the partitions that start with the prefix ('`' is the character after '_').
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {StoreEntities.BatchesPartitionPrefix} and PartitionKey lt {StoreEntities.BatchesPartitionPrefix[..^1] + "`"} and DoneAt lt {doneBefore}");
        return await TableDeletes.DeleteAsync(_scans, _scans.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _summary.UpsertEntityAsync(StoreEntities.Summary(summary, scanId, updatedAt), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var response = await _summary.GetEntityIfExistsAsync<TableEntity>(StoreEntities.SummaryPartition, StoreEntities.SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? StoreEntities.ToSummary(entity) : null;
    }

    private async Task<TableEntity?> FindScanAsync(string scanId, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.ScansPartition), ("ScanId", scanId)]);
        await foreach (var entity in _scans.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return entity;
        }

        return null;
    }
}
