using Azure;
using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed partial class TableClientTests
{
    private static List<TableTransactionAction> Adds(string partitionKey, int count, int value = 0) =>
        Enumerable.Range(0, count)
            .Select(i => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(partitionKey, $"r{i:000}") { ["V"] = value }))
            .ToList();

    /// <summary>A client of an address where nothing listens: any request it sent would fail with a connection error.</summary>
    private static TableClient Unreachable()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 0;
        return new TableClient(
            new Uri("http://127.0.0.1:9/devstoreaccount1"),
            "nothing",
            new TableSharedKeyCredential(AzuriteProcessAccount, Compliance.Emulator.Azurite.AzuriteProcess.AccountKey),
            options);
    }

    [Fact]
    public async Task SubmitTransactionAsync_100Adds_AppliesAllAndReturnsAnETagForEach()
    {
        await using var table = await azurite.CreateTableAsync();

        var response = await table.Client.SubmitTransactionAsync(Adds("p", 100));

        Assert.Equal(202, response.GetRawResponse().Status);
        Assert.Equal(100, response.Value.Count);
        Assert.All(response.Value, r => Assert.Equal(204, r.Status));
        var stored = await ToListAsync(table.Client.QueryAsync());
        Assert.Equal(100, stored.Count);
        Assert.Equal(stored.Select(e => (ETag?)e.ETag), response.Value.Select(r => r.Headers.ETag));
    }

    [Fact]
    public async Task SubmitTransactionAsync_EveryActionType_AppliesEachAsItsTypeSays()
    {
        await using var table = await azurite.CreateTableAsync();
        foreach (var row in new[] { "merge", "replace", "delete", "upsertMerge", "upsertReplace" })
        {
            await table.Client.AddEntityAsync(new TableEntity("p", row) { ["Old"] = "old", ["V"] = 0 });
        }

        var merge = (await table.Client.GetEntityAsync("p", "merge")).Value;
        var response = await table.Client.SubmitTransactionAsync(
        [
            new(TableTransactionActionType.Add, new TableEntity("p", "add") { ["V"] = 1 }),
            new(TableTransactionActionType.UpdateMerge, new TableEntity("p", "merge") { ["V"] = 2 }, merge.ETag),
            new(TableTransactionActionType.UpdateReplace, new TableEntity("p", "replace") { ["V"] = 3 }),
            new(TableTransactionActionType.Delete, new TableEntity("p", "delete")),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertMerge") { ["V"] = 5 }),
            new(TableTransactionActionType.UpsertReplace, new TableEntity("p", "upsertReplace") { ["V"] = 6 }),
            new(TableTransactionActionType.UpsertMerge, new TableEntity("p", "upsertNew") { ["V"] = 7 }),
        ]);

        Assert.Equal(7, response.Value.Count);
        var stored = (await ToListAsync(table.Client.QueryAsync())).ToDictionary(e => e.RowKey);
        Assert.Equal(["add", "merge", "replace", "upsertMerge", "upsertNew", "upsertReplace"], stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((1, null), (stored["add"].GetInt32("V"), stored["add"].GetString("Old")));
        Assert.Equal((2, "old"), (stored["merge"].GetInt32("V"), stored["merge"].GetString("Old")));
        Assert.Equal((3, null), (stored["replace"].GetInt32("V"), stored["replace"].GetString("Old")));
        Assert.Equal((5, "old"), (stored["upsertMerge"].GetInt32("V"), stored["upsertMerge"].GetString("Old")));
        Assert.Equal((6, null), (stored["upsertReplace"].GetInt32("V"), stored["upsertReplace"].GetString("Old")));
        Assert.Equal((7, null), (stored["upsertNew"].GetInt32("V"), stored["upsertNew"].GetString("Old")));
    }

    [Fact]
    public async Task SubmitTransactionAsync_101Actions_ThrowsArgumentExceptionBeforeSending()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Unreachable().SubmitTransactionAsync(Adds("p", 101)));

        Assert.Equal("transactionActions", error.ParamName);
        Assert.Contains("at most 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitTransactionAsync_TwoPartitionKeys_ThrowsArgumentExceptionBeforeSending()
    {
        var actions = Adds("p", 10);
        actions.Add(new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("q", "r")));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Unreachable().SubmitTransactionAsync(actions));

        Assert.Equal("transactionActions", error.ParamName);
        Assert.Contains("one PartitionKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitTransactionAsync_NoAction_ThrowsArgumentExceptionBeforeSending()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => Unreachable().SubmitTransactionAsync([]));

        Assert.Equal("transactionActions", error.ParamName);
    }

    [Fact]
    public async Task SubmitTransactionAsync_UnsupportedValue_ThrowsArgumentExceptionBeforeSending()
    {
        var actions = Adds("p", 3);
        actions[2].Entity["Bad"] = 1.5m;

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Unreachable().SubmitTransactionAsync(actions));

        Assert.Contains("'Bad'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitTransactionAsync_AddOfAnExistingEntityAt37_ThrowsWithIndex37AndAppliesNothing()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r037") { ["V"] = -1 });

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(Adds("p", 100, value: 1)));

        Assert.Equal(37, error.FailedTransactionActionIndex);
        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.StartsWith("Transaction action 37 (Add of PartitionKey 'p', RowKey 'r037') failed", error.Message, StringComparison.Ordinal);
        var stored = Assert.Single(await ToListAsync(table.Client.QueryAsync()));
        Assert.Equal(("r037", -1), (stored.RowKey, stored.GetInt32("V")));
    }

    [Fact]
    public async Task SubmitTransactionAsync_UpdateMergeWithAStaleETagAt37_ThrowsWithIndex37AndChangesNothing()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.SubmitTransactionAsync(Adds("p", 100, value: 0));
        var read = await ToListAsync(table.Client.QueryAsync());
        await table.Client.UpsertEntityAsync(new TableEntity("p", "r037") { ["V"] = -1 });
        var updates = read
            .Select(e => new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity(e.PartitionKey, e.RowKey) { ["V"] = 1 }, e.ETag))
            .ToList();

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(updates));

        Assert.Equal(37, error.FailedTransactionActionIndex);
        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.Contains("The entity was changed since it was read", error.Message, StringComparison.Ordinal);
        var stored = await ToListAsync(table.Client.QueryAsync());
        Assert.Equal(100, stored.Count);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i == 37 ? -1 : 0), stored.Select(e => e.GetInt32("V") ?? int.MinValue));
    }

    [Fact]
    public async Task SubmitTransactionAsync_DeleteOfAMissingEntityAt0_ThrowsWithIndex0AndAppliesNothing()
    {
        await using var table = await azurite.CreateTableAsync();
        var actions = Adds("p", 5);
        actions.Insert(0, new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p", "missing")));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(actions));

        Assert.Equal(0, error.FailedTransactionActionIndex);
        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.Empty(await ToListAsync(table.Client.QueryAsync()));
    }

    [Fact]
    public async Task SubmitTransactionAsync_UpdateWithDefaultETagOfAMissingEntity_FailsInsteadOfInserting()
    {
        await using var table = await azurite.CreateTableAsync();
        var actions = Adds("p", 3);
        actions.Add(new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p", "missing") { ["V"] = 1 }));

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => table.Client.SubmitTransactionAsync(actions));

        Assert.Equal(3, error.FailedTransactionActionIndex);
        Assert.Equal(404, error.Status);
        Assert.Empty(await ToListAsync(table.Client.QueryAsync()));
    }

    [Fact]
    public async Task SubmitTransactionAsync_MissingTable_ThrowsTableNotFoundForTheFirstAction()
    {
        var client = azurite.Client(ScratchTable.NewName());

        var error = await Assert.ThrowsAsync<TableTransactionFailedException>(() => client.SubmitTransactionAsync(Adds("p", 2)));

        Assert.Equal(0, error.FailedTransactionActionIndex);
        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }
}
