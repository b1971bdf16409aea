using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// The compliance store on Azure Table Storage. <c>ComplianceState</c>: one row per resource, partition = subscription,
/// row = the encoded rest of the resource id, written conditionally on its ETag in entity-group transactions of up to
/// 100 rows of one partition. <c>ComplianceHistory</c>: one partition per resource, newest first. <c>Scans</c> and
/// <c>Summary</c>: one partition each.
/// </summary>
internal sealed class TableComplianceStore : IComplianceStore
{
    private const int MaxTransactionSize = 100;
    private const int ReadConcurrency = 8;

    // History transactions sent at once (one per resource that changed).
    private const int HistoryWritesAtOnce = 8;

    private readonly TableClient _states;
    private readonly TableClient _history;
    private readonly TableClient _scans;
    private readonly TableClient _summary;
    private readonly TableClient _events;
    private readonly Lazy<Task> _initialized;

    public TableComplianceStore(TableStoreTables tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        _states = tables.States;
        _history = tables.History;
        _scans = tables.Scans;
        _summary = tables.Summary;
        _events = tables.Events;
        _initialized = new Lazy<Task>(() => Task.WhenAll(tables.All.Select(t => t.CreateIfNotExistsAsync())));
    }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken) => _initialized.Value.WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        // Up to 14 rows of one partition per query: fewer round trips than a read per row.
        var queries = resourceIds
            .Select(id => new ResourceId(id))
            .GroupBy(ResourceKey.PartitionKey)
            .SelectMany(g => g.Select(ResourceKey.RowKey).Distinct().Chunk(StoreFilters.MaxRowKeysPerQuery).Select(rows => StoreFilters.PartitionAndRows(g.Key, rows)))
            .ToList();

        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, StoredState>(StringComparer.OrdinalIgnoreCase);
        await Parallel.ForEachAsync(queries, new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken }, async (filter, token) =>
        {
            await foreach (var entity in _states.QueryAsync<TableEntity>(filter, cancellationToken: token).ConfigureAwait(false))
            {
                var state = StoreEntities.ToState(entity);
                found[state.State.ResourceId] = state;
            }
        }).ConfigureAwait(false);

        // Answer under the ids the caller used, whatever casing the stored verdict has.
        return resourceIds
            .Where(found.ContainsKey)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToDictionary(id => id, id => found[id], StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public async Task<StoredState?> GetStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var id = new ResourceId(resourceId);
        var response = await _states.GetEntityIfExistsAsync<TableEntity>(ResourceKey.PartitionKey(id), ResourceKey.RowKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? StoreEntities.ToState(entity) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<StateWriteResult>(writes.Count);
        foreach (var partition in writes.GroupBy(w => ResourceKey.PartitionKey(new ResourceId(w.State.ResourceId))))
        {
            foreach (var chunk in partition.Chunk(MaxTransactionSize))
            {
                results.AddRange(await WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    // One transaction per chunk. A row whose condition fails (412: changed since read; 409: created since read) makes
    // the whole transaction fail with its index; it is reported as a conflict and the rest is submitted again.
    private async Task<List<StateWriteResult>> WriteChunkAsync(IReadOnlyList<StateWrite> chunk, CancellationToken cancellationToken)
    {
        var results = new List<StateWriteResult>();
        var remaining = chunk.ToList();
        while (remaining.Count > 0)
        {
            var actions = remaining.Select(w => w.ExpectedETag is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, StoreEntities.State(w.State))
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, StoreEntities.State(w.State), new ETag(w.ExpectedETag)))
                .ToList();
            try
            {
                var response = await _states.SubmitTransactionAsync(actions, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < remaining.Count; i++)
                {
                    results.Add(new StateWriteResult(remaining[i].State.ResourceId, true, response.Value[i].Headers.ETag?.ToString()));
                }

                return results;
            }
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is { } index && index < remaining.Count && IsConditionFailure(ex))
            {
                results.Add(new StateWriteResult(remaining[index].State.ResourceId, false, null));
                remaining.RemoveAt(index);
            }
        }

        return results;
    }

    private static bool IsConditionFailure(RequestFailedException ex) =>
        ex.Status is 409 or 412
        || ex.ErrorCode is "UpdateConditionNotSatisfied" or "EntityAlreadyExists" or "ConditionNotMet";

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var conditions = new List<(string Property, object Value)>();
        if (query.SubscriptionId is { } subscription)
        {
            conditions.Add(("PartitionKey", subscription.ToLowerInvariant()));
        }

        if (query.Status is { } status)
        {
            conditions.Add(("Status", status));
        }

        if (query.Action is { } action)
        {
            conditions.Add(($"Needs{action}", true));
        }

        if (query.OnlyWithOutbox)
        {
            conditions.Add(("HasOutbox", true));
        }

        (string, string)? after = query.AfterResourceId is { } afterId
            ? (ResourceKey.PartitionKey(new ResourceId(afterId)), ResourceKey.RowKey(new ResourceId(afterId)))
            : null;
        await foreach (var entity in _states.QueryAsync<TableEntity>(StoreFilters.Conjunction(conditions, after), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return StoreEntities.ToState(entity);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var id = new ResourceId(resourceId);
        var response = await _states.DeleteEntityAsync(ResourceKey.PartitionKey(id), ResourceKey.RowKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.Status != 404;
    }

    /// <inheritdoc />
    public async Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);

        // An entry's key is its resource and time, so writing it again replaces it with itself: idempotent. A
        // resource's history is its own partition (its newest-first read is one partition scan), and a transaction
        // cannot span partitions: a scan's first writes (one change per machine) go side by side instead.
        var transactions = entries
            .GroupBy(e => StoreEntities.HistoryPartition(e.ResourceId))
            .SelectMany(partition => partition.GroupBy(StoreEntities.InvertedTicksOf).Select(g => g.Last()).Chunk(MaxTransactionSize))
            .ToList();
        await Parallel.ForEachAsync(
            transactions,
            new ParallelOptions { MaxDegreeOfParallelism = HistoryWritesAtOnce, CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                var actions = chunk.Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, StoreEntities.History(e))).ToList();
                await _history.SubmitTransactionAsync(actions, token).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HistoryEntry> GetHistoryAsync(string resourceId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.HistoryPartition(resourceId))]);
        await foreach (var entity in _history.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return StoreEntities.ToHistory(entity);
        }
    }

    /// <inheritdoc />
    public async Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _scans.UpsertEntityAsync(StoreEntities.Scan(scan), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ScanRecord> GetScansAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
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
    public async Task SaveBatchOutcomeAsync(string scanId, int batchIndex, RecordOutcome outcome, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _scans.UpsertEntityAsync(StoreEntities.Batch(scanId, batchIndex, outcome), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<int, RecordOutcome>> GetBatchOutcomesAsync(string scanId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var outcomes = new Dictionary<int, RecordOutcome>();
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.BatchesPartition(scanId))]);
        await foreach (var entity in _scans.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var (index, outcome) = StoreEntities.ToBatch(entity);
            outcomes[index] = outcome;
        }

        return outcomes;
    }

    /// <inheritdoc />
    public async Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var key = ResourceKey.Encode(name);
        var current = await _scans.GetEntityIfExistsAsync<TableEntity>(StoreEntities.LeasesPartition, key, cancellationToken: cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreEntities.LeasesPartition, key) { [StoreEntities.LeaseExpiresAt] = expiresAt };
        try
        {
            Response response;
            if (!current.HasValue)
            {
                response = await _scans.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
            }
            else if (current.Value!.GetDateTimeOffset(StoreEntities.LeaseExpiresAt) is { } until && until > now)
            {
                return null;
            }
            else
            {
                // Taken over only if nobody renewed or took it since the read.
                response = await _scans.UpdateEntityAsync(entity, current.Value.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            }

            return new StoreLease(name, response.Headers.ETag?.ToString() ?? string.Empty, expiresAt);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Someone else took it between the read and the write.
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreEntities.LeasesPartition, ResourceKey.Encode(lease.Name)) { [StoreEntities.LeaseExpiresAt] = expiresAt };
        try
        {
            // Only the version we hold: a lease taken over, or given back, is not renewed.
            var ifMatch = string.IsNullOrEmpty(lease.ETag) ? ETag.All : new ETag(lease.ETag);
            var response = await _scans.UpdateEntityAsync(entity, ifMatch, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return lease with { ETag = response.Headers.ETag?.ToString() ?? string.Empty, ExpiresAt = expiresAt };
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(StoreLease lease, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var ifMatch = string.IsNullOrEmpty(lease.ETag) ? ETag.All : new ETag(lease.ETag);
            await _scans.DeleteEntityAsync(StoreEntities.LeasesPartition, ResourceKey.Encode(lease.Name), ifMatch, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            // Gone already, or taken over after it ran out: either way no longer ours to delete.
        }
    }

    /// <inheritdoc />
    public async Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var response = await _events.GetEntityIfExistsAsync<TableEntity>(StoreEntities.EventsPartition, ResourceKey.Encode(eventId), ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        return response.HasValue;
    }

    /// <inheritdoc />
    public async Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreEntities.EventsPartition, ResourceKey.Encode(eventId)) { ["EventId"] = eventId, ["HandledAt"] = handledAt };
        await _events.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableEntity?> FindScanAsync(string scanId, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.ScansPartition), ("ScanId", scanId)]);
        await foreach (var entity in _scans.QueryAsync<TableEntity>(filter, maxPerPage: 1, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            return entity;
        }

        return null;
    }

    /// <inheritdoc />
    public async Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        await _summary.UpsertEntityAsync(StoreEntities.Summary(summary, scanId, updatedAt), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        var response = await _summary.GetEntityIfExistsAsync<TableEntity>(StoreEntities.SummaryPartition, StoreEntities.SummaryRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? StoreEntities.ToSummary(entity) : null;
    }
}
