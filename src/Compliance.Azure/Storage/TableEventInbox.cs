using Azure.Data.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>The ids of handled resource events on Azure Table Storage: <c>HandledEvents</c>, one row per id (encoded as the key).</summary>
internal sealed class TableEventInbox : IEventInbox
{
    private readonly TableStoreTables _tables;
    private readonly TableClient _events;

    public TableEventInbox(TableStoreTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _events = tables.Events;
    }

    /// <inheritdoc />
    public async Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var response = await _events.GetEntityIfExistsAsync<TableEntity>(StoreEntities.EventsPartition, ResourceKey.Encode(eventId), ["PartitionKey"], cancellationToken).ConfigureAwait(false);
        return response.HasValue;
    }

    /// <inheritdoc />
    public async Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(StoreEntities.EventsPartition, ResourceKey.Encode(eventId)) { ["EventId"] = eventId, ["HandledAt"] = handledAt };
        await _events.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> PruneAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StoreEntities.EventsPartition} and HandledAt lt {handledBefore}");
        return await TableDeletes.DeleteAsync(_events, _events.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
