using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Compliance.Core.Exemptions;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Storage;

/// <summary>
/// Exemptions on Azure Table Storage. <c>Exemptions</c>: one partition, a row per exemption (its id, which holds only
/// characters a key allows, is the row key), the exemption and its undelivered notice as JSON, the row's ETag its
/// version. <c>ExemptionHistory</c>: a partition per exemption id, newest first (the key counts the time down), so the
/// history outlives the exemption; an entry is upserted under its identity, so writing it again stores it once.
/// </summary>
internal sealed class TableExemptionStore : IExemptionStore
{
    private const string Partition = "exemptions";
    private static readonly JsonSerializerOptions _json = new(ComplianceReportJson.Options) { WriteIndented = false };

    private readonly TableStoreTables _tables;

    public TableExemptionStore(TableStoreTables tables) => _tables = tables ?? throw new ArgumentNullException(nameof(tables));

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredExemption> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", Partition)]);
        await foreach (var entity in _tables.Exemptions.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return ToStored(entity);
        }
    }

    /// <inheritdoc />
    public async Task<StoredExemption?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ExemptionRules.IsValidId(id))
        {
            return null;
        }

        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = await _tables.Exemptions.GetEntityIfExistsAsync<TableEntity>(Partition, id, cancellationToken: cancellationToken).ConfigureAwait(false);
        return entity.HasValue ? ToStored(entity.Value!) : null;
    }

    /// <inheritdoc />
    public async Task<string?> TryPutAsync(Exemption exemption, PendingNotification? notice, string? expectedETag, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        if (!ExemptionRules.IsValidId(exemption.Id))
        {
            throw new ArgumentException("The exemption's id is not valid.", nameof(exemption));
        }

        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(Partition, exemption.Id)
        {
            ["Exemption"] = JsonSerializer.Serialize(exemption, _json),
            ["Notice"] = notice is null ? null : JsonSerializer.Serialize(notice, _json),
        };
        try
        {
            var response = expectedETag is null
                ? await _tables.Exemptions.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false)
                : await _tables.Exemptions.UpdateEntityAsync(entity, new ETag(expectedETag), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
            return response.Headers.ETag?.ToString() ?? string.Empty;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<bool> TryDeleteAsync(string id, string? expectedETag, CancellationToken cancellationToken)
    {
        if (!ExemptionRules.IsValidId(id))
        {
            return false;
        }

        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A delete of a row that is not there succeeds in the SDK: ask first, so "none" is told apart.
            var current = await _tables.Exemptions.GetEntityIfExistsAsync<TableEntity>(Partition, id, select: ["PartitionKey"], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!current.HasValue)
            {
                return false;
            }

            var ifMatch = expectedETag is null ? current.Value!.ETag : new ETag(expectedETag);
            await _tables.Exemptions.DeleteEntityAsync(Partition, id, ifMatch, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async Task AppendHistoryAsync(ExemptionHistoryEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var entity = new TableEntity(entry.ExemptionId, HistoryKey(entry))
        {
            ["Entry"] = JsonSerializer.Serialize(entry, _json),
        };
        await _tables.ExemptionHistory.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ExemptionHistoryEntry> GetHistoryAsync(string id, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!ExemptionRules.IsValidId(id))
        {
            yield break;
        }

        await _tables.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var filter = StoreFilters.Equalities([("PartitionKey", id)]);
        await foreach (var entity in _tables.ExemptionHistory.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            yield return Deserialize<ExemptionHistoryEntry>(entity, "Entry");
        }
    }

    // Newest first: the time counted down, then the kind (an expiry and a removal at the same tick stay apart).
    private static string HistoryKey(ExemptionHistoryEntry entry) =>
        (DateTimeOffset.MaxValue.UtcTicks - entry.At.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + entry.Change;

    private static StoredExemption ToStored(TableEntity entity) => new(
        Deserialize<Exemption>(entity, "Exemption"),
        entity.ETag.ToString(),
        entity.GetString("Notice") is { Length: > 0 } ? Deserialize<PendingNotification>(entity, "Notice") : null);

    private static T Deserialize<T>(TableEntity entity, string property)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(entity.GetString(property) ?? "null", _json)
                ?? throw new InvalidDataException($"Property '{property}' of entity '{entity.PartitionKey}/{entity.RowKey}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Property '{property}' of entity '{entity.PartitionKey}/{entity.RowKey}' is not valid JSON.", ex);
        }
    }
}
