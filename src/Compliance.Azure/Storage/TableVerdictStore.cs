using System.Globalization;
using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Inventory;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// The verdicts on Azure Table Storage. <c>ComplianceState</c>: one row per resource, partition = subscription,
/// row = the encoded rest of the resource id, written conditionally on its ETag in entity-group transactions of up to
/// 100 rows of one partition. <c>ComplianceHistory</c>: one partition per resource, newest first.
/// </summary>
internal sealed class TableVerdictStore : IVerdictStore
{
    private const int MaxTransactionSize = 100;

    // A state row carries its verdict's evidence (kilobytes); a page of the service's default 1,000 rows, buffered and
    // then parsed, made the end of a scan (the summary, the outbox) hold tens of megabytes at once.
    private const int StatesPerPage = 100;
    private const int ReadConcurrency = 8;

    // History transactions sent at once (one per resource that changed).
    private const int HistoryWritesAtOnce = 8;

    private const string PendingHistoryProperty = "PendingHistory";

    private readonly TableStoreTables _tables;
    private readonly TableClient _states;
    private readonly TableClient _history;

    public TableVerdictStore(TableStoreTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _states = tables.States;
        _history = tables.History;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, StoredState>> GetStatesAsync(IReadOnlyCollection<string> resourceIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceIds);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

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
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var id = new ResourceId(resourceId);
        var response = await _states.GetEntityIfExistsAsync<TableEntity>(ResourceKey.PartitionKey(id), ResourceKey.RowKey(id), cancellationToken: cancellationToken).ConfigureAwait(false);
        return response.HasValue && response.Value is { } entity ? StoreEntities.ToState(entity) : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StateWriteResult>> WriteStatesAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(writes);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<StateWriteResult>(writes.Count);
        var storable = new List<StateWrite>(writes.Count);
        foreach (var write in writes)
        {
            if (ResourceKey.IsStorable(new ResourceId(write.State.ResourceId), out var reason))
            {
                storable.Add(write);
            }
            else
            {
                results.Add(new StateWriteResult(write.State.ResourceId, false, null) { Refusal = reason });
            }
        }

        foreach (var partition in storable.GroupBy(w => ResourceKey.PartitionKey(new ResourceId(w.State.ResourceId))))
        {
            foreach (var chunk in partition.Chunk(MaxTransactionSize))
            {
                results.AddRange(await WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    // One transaction per chunk. A row whose condition fails (412: changed since read; 409: created since read; 404
    // ResourceNotFound: deleted since read, by a resource event) makes the whole transaction fail with its index; it is
    // reported as a conflict and the rest is submitted again.
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
            catch (TableTransactionFailedException ex) when (ex.FailedTransactionActionIndex is { } index && index < remaining.Count && IsBeyondLimits(ex))
            {
                // This row alone cannot be stored (too large, say): it is refused, and the others go in without it.
                results.Add(new StateWriteResult(remaining[index].State.ResourceId, false, null) { Refusal = $"the store refused it ({ex.ErrorCode ?? ex.Status.ToString(CultureInfo.InvariantCulture)})" });
                remaining.RemoveAt(index);
            }
        }

        return results;
    }

    // What the service says of a row it will never take, whatever is retried: its size, a property, a key.
    private static bool IsBeyondLimits(RequestFailedException ex) =>
        ex.Status is 400 or 413
        && ex.ErrorCode is "EntityTooLarge" or "PropertyValueTooLarge" or "RequestBodyTooLarge" or "InvalidInput" or "KeyValueTooLarge" or "TooManyProperties" or "PropertyNameTooLong" or "OutOfRangeInput" or "InvalidValueType";

    private static bool IsConditionFailure(RequestFailedException ex) =>
        ex.Status is 409 or 412
        || ex.ErrorCode is "UpdateConditionNotSatisfied" or "EntityAlreadyExists" or "ConditionNotMet" or "ResourceNotFound";

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredState> QueryStatesAsync(StateQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
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
        var filter = StoreFilters.Conjunction(conditions, after);
        if (query.ResourceIdPrefix is { } prefix)
        {
            // Row keys keep the id's order within its subscription's partition, so a prefix of ids is a range of keys.
            var id = new ResourceId(prefix);
            var rowPrefix = ResourceKey.RowKey(id) + (prefix.EndsWith('/') ? ResourceKey.Encode("/") : string.Empty);
            filter = StoreFilters.And(filter, StoreFilters.RowKeysStartingWith(ResourceKey.PartitionKey(id), rowPrefix));
        }

        await foreach (var entity in _states.QueryAsync<TableEntity>(filter, maxPerPage: StatesPerPage, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return StoreEntities.ToState(entity);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DeleteStateAsync(string resourceId, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var id = new ResourceId(resourceId);
        var (partition, row) = (ResourceKey.PartitionKey(id), ResourceKey.RowKey(id));
        while (true)
        {
            // History entries a crash kept in the state go to the history first: with the state gone, nothing else
            // holds them. The delete is conditional on the state read, so an entry a newer write put there meanwhile
            // is not deleted unwritten.
            var read = await _states.GetEntityIfExistsAsync<TableEntity>(partition, row, [PendingHistoryProperty], cancellationToken).ConfigureAwait(false);
            if (!read.HasValue || read.Value is not { } entity)
            {
                return false;
            }

            var pending = StoreEntities.PendingHistoryOf(entity);
            if (pending.Count > 0)
            {
                await AppendHistoryAsync(pending, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var response = await _states.DeleteEntityAsync(partition, row, entity.ETag, cancellationToken).ConfigureAwait(false);
                return response.Status != 404;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                // Written since it was read: read it again.
            }
        }
    }

    /// <inheritdoc />
    public async Task AppendHistoryAsync(IReadOnlyList<HistoryEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

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
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", StoreEntities.HistoryPartition(resourceId))]);

        // The state's pending entries first, then the history (see ResourceHistory for why in that order); only the
        // one property of the state, not its verdict's evidence.
        var id = new ResourceId(resourceId);
        var state = await _states.GetEntityIfExistsAsync<TableEntity>(ResourceKey.PartitionKey(id), ResourceKey.RowKey(id), [PendingHistoryProperty], cancellationToken).ConfigureAwait(false);
        var pending = state.HasValue && state.Value is { } entity ? StoreEntities.PendingHistoryOf(entity) : [];
        var written = _history.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).Select(StoreEntities.ToHistory);
        await foreach (var entry in ResourceHistory.MergeAsync(pending, written, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }
}
