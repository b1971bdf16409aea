using Azure;
using Azure.Data.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// Leases on Azure Table Storage: one row per lease in the <c>leases</c> partition of <c>Scans</c>, its expiry a
/// property and its ETag the version a holder proves it still holds it with.
/// </summary>
internal sealed class TableLeaseStore : ILeaseStore
{
    private readonly TableStoreTables _tables;
    private readonly TableClient _scans;

    public TableLeaseStore(TableStoreTables tables)
    {
        _tables = tables ?? throw new ArgumentNullException(nameof(tables));
        _scans = tables.Scans;
    }

    /// <inheritdoc />
    public async Task<StoreLease?> TryAcquireLeaseAsync(string name, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
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
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // Someone else took it between the read and the write (or retention removed the old row): not ours this time.
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<StoreLease?> RenewLeaseAsync(StoreLease lease, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
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
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
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
    public async Task<int> PruneAsync(DateTimeOffset expiredBefore, CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StoreEntities.LeasesPartition} and ExpiresAt lt {expiredBefore}");

        // A lease that ran out a month ago has no holder left to renew it; one taken again meanwhile is created afresh.
        return await TableDeletes.DeleteAsync(_scans, _scans.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }
}
