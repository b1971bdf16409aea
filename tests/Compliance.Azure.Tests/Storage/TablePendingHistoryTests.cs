using Azure.Data.Tables;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>Pending history entries on Table Storage (Azurite), each test under tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TablePendingHistoryTests(AzuriteFixture azurite) : PendingHistoryContract, IAsyncLifetime
{
    private readonly ScratchStoreTables _tables = new(azurite);

    protected override IVerdictStore Store => new TableVerdictStore(_tables.Tables);

    // The history table itself, as its rows are.
    protected override async Task<IReadOnlyList<HistoryEntry>> WrittenHistoryAsync(string resourceId) =>
        await _tables.Tables.History
            .QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {StoreEntities.HistoryPartition(resourceId)}"))
            .Select(StoreEntities.ToHistory)
            .ToListAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
