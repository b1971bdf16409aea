using Azure;
using Compliance.Azure.Tables;
using NSubstitute;

namespace Compliance.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed partial class TableClientTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset _moment = new DateTimeOffset(2024, 2, 29, 13, 14, 15, TimeSpan.FromHours(2)).AddTicks(1_234_567);
    private static readonly Guid _guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");

    private static TableEntity EveryType(string partitionKey, string rowKey) => new(partitionKey, rowKey)
    {
        ["Text"] = "héllo 'quoted' \"double\"\nline",
        ["Int"] = -42,
        ["Long"] = 5_000_000_000L,
        ["NegativeLong"] = -(1L << 40),
        ["Double"] = 3.25,
        ["IntegralDouble"] = 2.0,
        ["Bool"] = true,
        ["Moment"] = _moment,
        ["UtcDateTime"] = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc),
        ["Guid"] = _guid,
        ["Binary"] = new byte[] { 0, 1, 2, 254, 255 },
        ["Nothing"] = null,
    };

    [Fact]
    public async Task GetEntityAsync_EveryValueType_RoundTripsWithItsType()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(EveryType("p", "r"));

        var entity = (await table.Client.GetEntityAsync("p", "r")).Value;

        Assert.Equal("p", entity.PartitionKey);
        Assert.Equal("r", entity.RowKey);
        Assert.Equal("héllo 'quoted' \"double\"\nline", Assert.IsType<string>(entity["Text"]));
        Assert.Equal(-42, Assert.IsType<int>(entity["Int"]));
        Assert.Equal(5_000_000_000L, Assert.IsType<long>(entity["Long"]));
        Assert.Equal(-(1L << 40), Assert.IsType<long>(entity["NegativeLong"]));
        Assert.Equal(3.25, Assert.IsType<double>(entity["Double"]));
        Assert.Equal(2.0, entity.GetDouble("IntegralDouble"));
        Assert.True(Assert.IsType<bool>(entity["Bool"]));
        var moment = Assert.IsType<DateTimeOffset>(entity["Moment"]);
        Assert.Equal(_moment.UtcTicks, moment.UtcTicks);
        Assert.Equal(TimeSpan.Zero, moment.Offset);
        Assert.Equal(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero), entity.GetDateTimeOffset("UtcDateTime"));
        Assert.Equal(_guid, Assert.IsType<Guid>(entity["Guid"]));
        Assert.Equal(new byte[] { 0, 1, 2, 254, 255 }, Assert.IsType<byte[]>(entity["Binary"]));
        Assert.False(entity.ContainsKey("Nothing"));
        Assert.NotNull(entity.Timestamp);
        Assert.NotEqual(default, entity.ETag);
        Assert.Equal(
            ["Binary", "Bool", "Double", "Guid", "Int", "IntegralDouble", "Long", "Moment", "NegativeLong", "PartitionKey", "RowKey", "Text", "Timestamp", "UtcDateTime", "odata.etag"],
            entity.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetEntityAsync_KeysWithQuotesAndNonAscii_AreAddressedExactly()
    {
        await using var table = await azurite.CreateTableAsync();
        const string partitionKey = "O'Brien & Co + 100% (x)";
        const string rowKey = "üñí 'q'' ćødé=1;2";
        await table.Client.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 });
        await table.Client.AddEntityAsync(new TableEntity("O", rowKey) { ["V"] = 2 });

        var entity = (await table.Client.GetEntityAsync(partitionKey, rowKey)).Value;
        await table.Client.UpdateEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 3 }, entity.ETag);
        var updated = (await table.Client.GetEntityAsync(partitionKey, rowKey)).Value;
        await table.Client.DeleteEntityAsync(partitionKey, rowKey, updated.ETag);

        Assert.Equal(partitionKey, entity.PartitionKey);
        Assert.Equal(rowKey, entity.RowKey);
        Assert.Equal(1, entity.GetInt32("V"));
        Assert.Equal(3, updated.GetInt32("V"));
        Assert.False((await table.Client.GetEntityIfExistsAsync(partitionKey, rowKey)).HasValue);
        Assert.Equal(2, (await table.Client.GetEntityAsync("O", rowKey)).Value.GetInt32("V"));
    }

    [Fact]
    public async Task GetEntityAsync_WithSelect_ReturnsOnlyTheSelectedProperties()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(EveryType("p", "r"));

        var entity = (await table.Client.GetEntityAsync("p", "r", ["Int", "Guid"])).Value;

        Assert.Equal(-42, entity.GetInt32("Int"));
        Assert.Equal(_guid, entity.GetGuid("Guid"));
        Assert.DoesNotContain("Text", entity.Keys);
        Assert.DoesNotContain("Long", entity.Keys);
    }

    [Fact]
    public async Task GetEntityAsync_Missing_Throws404ResourceNotFound()
    {
        await using var table = await azurite.CreateTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.GetEntityAsync("p", "missing"));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_ExistingAndMissing_HasValueOnlyForTheExisting()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 7 });

        var present = await table.Client.GetEntityIfExistsAsync("p", "r");
        var absent = await table.Client.GetEntityIfExistsAsync("p", "missing");

        Assert.True(present.HasValue);
        Assert.Equal(7, present.Value!.GetInt32("V"));
        Assert.False(absent.HasValue);
        Assert.Equal(404, absent.GetRawResponse().Status);
        Assert.Throws<InvalidOperationException>(() => absent.Value);
    }

    [Fact]
    public async Task AddEntityAsync_Twice_Throws409EntityAlreadyExists()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
        Assert.Equal(1, (await table.Client.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task AddEntityAsync_Success_Returns204WithTheETag()
    {
        await using var table = await azurite.CreateTableAsync();

        var response = await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        Assert.Equal(204, response.Status);
        Assert.Equal((await table.Client.GetEntityAsync("p", "r")).Value.ETag, response.Headers.ETag);
    }

    [Theory]
    [InlineData(typeof(decimal))]
    [InlineData(typeof(float))]
    [InlineData(typeof(DateTime))]
    [InlineData(typeof(Uri))]
    public async Task AddEntityAsync_UnsupportedValue_ThrowsArgumentExceptionAndStoresNothing(Type type)
    {
        await using var table = await azurite.CreateTableAsync();
        object value = type == typeof(decimal) ? 1.5m
            : type == typeof(float) ? 1.5f
            : type == typeof(DateTime) ? new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Local)
            : new Uri("https://example.com");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.Client.AddEntityAsync(new TableEntity("p", "r") { ["Bad"] = value }));

        Assert.Contains("'Bad'", error.Message, StringComparison.Ordinal);
        Assert.False((await table.Client.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task UpsertEntityAsync_Merge_KeepsThePropertiesItDoesNotSend()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b2", ["C"] = "c" }, TableUpdateMode.Merge);

        var entity = (await table.Client.GetEntityAsync("p", "r")).Value;
        Assert.Equal("a", entity.GetString("A"));
        Assert.Equal("b2", entity.GetString("B"));
        Assert.Equal("c", entity.GetString("C"));
    }

    [Fact]
    public async Task UpsertEntityAsync_Replace_DropsThePropertiesItDoesNotSend()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["A"] = "a", ["B"] = "b" });

        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["B"] = "b2" }, TableUpdateMode.Replace);

        var entity = (await table.Client.GetEntityAsync("p", "r")).Value;
        Assert.False(entity.ContainsKey("A"));
        Assert.Equal("b2", entity.GetString("B"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task UpsertEntityAsync_Missing_InsertsIt(TableUpdateMode mode)
    {
        await using var table = await azurite.CreateTableAsync();

        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["A"] = 1L }, mode);

        Assert.Equal(1L, (await table.Client.GetEntityAsync("p", "r")).Value["A"]);
    }

    [Fact]
    public async Task UpdateEntityAsync_CurrentETag_SucceedsAndReturnsTheNewETag()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var read = (await table.Client.GetEntityAsync("p", "r")).Value;

        read["V"] = 2;
        var response = await table.Client.UpdateEntityAsync(read, read.ETag, TableUpdateMode.Replace);

        var after = (await table.Client.GetEntityAsync("p", "r")).Value;
        Assert.Equal(204, response.Status);
        Assert.NotEqual(read.ETag, response.Headers.ETag);
        Assert.Equal(after.ETag, response.Headers.ETag);
        Assert.Equal(2, after.GetInt32("V"));
    }

    [Theory]
    [InlineData(TableUpdateMode.Merge)]
    [InlineData(TableUpdateMode.Replace)]
    public async Task UpdateEntityAsync_StaleETag_Throws412WithAClearMessageAndChangesNothing(TableUpdateMode mode)
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var stale = (await table.Client.GetEntityAsync("p", "r")).Value;
        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        stale["V"] = 3;
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.UpdateEntityAsync(stale, stale.ETag, mode));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.StartsWith("The entity was changed since it was read", error.Message, StringComparison.Ordinal);
        Assert.Contains("ETag", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await table.Client.GetEntityAsync("p", "r")).Value.GetInt32("V"));
    }

    [Fact]
    public async Task UpdateEntityAsync_AnyETagOnAMissingEntity_Throws404AndInsertsNothing()
    {
        await using var table = await azurite.CreateTableAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.UpdateEntityAsync(new TableEntity("p", "r"), ETag.All));

        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.False((await table.Client.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task UpdateEntityAsync_DefaultETag_ThrowsArgumentException()
    {
        await using var table = await azurite.CreateTableAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => table.Client.UpdateEntityAsync(new TableEntity("p", "r"), default));

        Assert.Equal("ifMatch", error.ParamName);
    }

    [Fact]
    public async Task DeleteEntityAsync_Existing_RemovesIt()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        var response = await table.Client.DeleteEntityAsync("p", "r");

        Assert.Equal(204, response.Status);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.GetEntityAsync("p", "r"));
        Assert.Equal(404, error.Status);
        Assert.Equal("ResourceNotFound", error.ErrorCode);
        Assert.False((await table.Client.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task DeleteEntityAsync_Missing_Returns404WithoutThrowing()
    {
        await using var table = await azurite.CreateTableAsync();

        var response = await table.Client.DeleteEntityAsync("p", "missing");

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task DeleteEntityAsync_StaleETag_Throws412AndKeepsTheEntity()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var stale = (await table.Client.GetEntityAsync("p", "r")).Value;
        await table.Client.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 });

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.Client.DeleteEntityAsync("p", "r", stale.ETag));

        Assert.Equal(412, error.Status);
        Assert.Equal("UpdateConditionNotSatisfied", error.ErrorCode);
        Assert.True((await table.Client.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task CreateIfNotExistsAsync_Twice_SucceedsBothTimes()
    {
        var client = azurite.Client(ScratchTable.NewName());
        try
        {
            var first = await client.CreateIfNotExistsAsync();
            var second = await client.CreateIfNotExistsAsync();

            Assert.Equal(204, first.Status);
            Assert.Equal(409, second.Status);
            await client.AddEntityAsync(new TableEntity("p", "r"));
        }
        finally
        {
            await client.DeleteAsync();
        }
    }

    [Fact]
    public async Task DeleteAsync_Table_RemovesItAndASecondDeleteIsFine()
    {
        var client = azurite.Client(ScratchTable.NewName());
        await client.CreateIfNotExistsAsync();

        var first = await client.DeleteAsync();
        var second = await client.DeleteAsync();

        Assert.Equal(204, first.Status);
        Assert.Equal(404, second.Status);
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.AddEntityAsync(new TableEntity("p", "r")));
        Assert.Equal(404, error.Status);
        Assert.Equal("TableNotFound", error.ErrorCode);
    }

    [Fact]
    public async Task AddEntityAsync_WrongAccountKey_Throws403AndNeverShowsTheKey()
    {
        await using var table = await azurite.CreateTableAsync();
        var wrongKey = Convert.ToBase64String(Enumerable.Range(1, 64).Select(i => (byte)i).ToArray());
        var client = new TableClient(
            azurite.Azurite.TableEndpoint, table.Client.Name, new TableSharedKeyCredential(AzuriteProcessAccount, wrongKey));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthorizationFailure", error.ErrorCode);
        Assert.DoesNotContain(wrongKey, error.ToString(), StringComparison.Ordinal);
        Assert.False((await table.Client.GetEntityIfExistsAsync("p", "r")).HasValue);
    }

    [Fact]
    public async Task Constructor_ConnectionStringOfTheLauncher_ReachesAzurite()
    {
        var client = new TableClient(azurite.Azurite.ConnectionString, ScratchTable.NewName());
        try
        {
            await client.CreateIfNotExistsAsync();
            await client.AddEntityAsync(new TableEntity("p", "r"));

            Assert.True((await client.GetEntityIfExistsAsync("p", "r")).HasValue);
        }
        finally
        {
            await client.DeleteAsync();
        }
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("1abc")]
    [InlineData("has-dash")]
    [InlineData("abc\n")]
    public void Constructor_InvalidTableName_ThrowsArgumentException(string tableName)
    {
        var error = Assert.Throws<ArgumentException>(() => azurite.Client(tableName));

        Assert.Equal("tableName", error.ParamName);
    }

    [Fact]
    public void Constructor_ConnectionStringWithoutKey_ThrowsArgumentException()
    {
        var error = Assert.Throws<ArgumentException>(() => new TableClient("DefaultEndpointsProtocol=https;AccountName=acct;EndpointSuffix=core.windows.net", "table1"));

        Assert.Contains("no AccountKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProtectedConstructor_Substitute_CanBeConfiguredLikeAnyMock()
    {
        var client = Substitute.For<TableClient>();
        var entity = new TableEntity("p", "r") { ["V"] = 1 };
        client.GetEntityAsync("p", "r").Returns(Response.FromValue(entity, Substitute.For<Response>()));

        var read = await client.GetEntityAsync("p", "r");

        Assert.Same(entity, read.Value);
    }

    [Fact]
    public async Task ProtectedConstructor_UnconfiguredCall_ThrowsInvalidOperationException()
    {
        var client = Substitute.ForPartsOf<TableClient>();

        await Assert.ThrowsAsync<InvalidOperationException>(() => client.CreateIfNotExistsAsync());
        Assert.Equal(string.Empty, client.Name);
    }

    private const string AzuriteProcessAccount = Compliance.Emulator.Azurite.AzuriteProcess.AccountName;
}
