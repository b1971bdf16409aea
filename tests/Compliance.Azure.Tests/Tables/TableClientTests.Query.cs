using Azure;
using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed partial class TableClientTests
{
    /// <summary>Inserts <paramref name="count"/> entities, 100 per partition (p00, p01, …; rows r000…r099), one transaction each.</summary>
    private static async Task<List<string>> SeedAsync(TableClient client, int count)
    {
        var keys = new List<string>();
        for (var partition = 0; partition * 100 < count; partition++)
        {
            var actions = new List<TableTransactionAction>();
            for (var row = 0; row < 100 && partition * 100 + row < count; row++)
            {
                var entity = new TableEntity($"p{partition:00}", $"r{row:000}") { ["N"] = partition * 100 + row };
                actions.Add(new TableTransactionAction(TableTransactionActionType.Add, entity));
                keys.Add($"{entity.PartitionKey}/{entity.RowKey}");
            }

            await client.SubmitTransactionAsync(actions);
        }

        return keys;
    }

    [Theory]
    [InlineData(null, new[] { 1000, 200 })]
    [InlineData(250, new[] { 250, 250, 250, 250, 200 })]
    public async Task QueryAsync_1200Entities_ReturnsEachOnceInOrderPageByPage(int? maxPerPage, int[] pageSizes)
    {
        await using var table = await azurite.CreateTableAsync();
        var expected = await SeedAsync(table.Client, 1200);

        var pages = new List<Page<TableEntity>>();
        await foreach (var page in table.Client.QueryAsync(maxPerPage: maxPerPage).AsPages())
        {
            pages.Add(page);
        }

        Assert.Equal(pageSizes, pages.Select(p => p.Values.Count));
        Assert.All(pages.SkipLast(1), p => Assert.False(string.IsNullOrEmpty(p.ContinuationToken)));
        Assert.Null(pages[^1].ContinuationToken);
        Assert.Equal(expected, pages.SelectMany(p => p.Values).Select(e => $"{e.PartitionKey}/{e.RowKey}"));
    }

    [Fact]
    public async Task QueryAsync_EnumeratedItemByItem_FollowsTheContinuation()
    {
        await using var table = await azurite.CreateTableAsync();
        var expected = await SeedAsync(table.Client, 1200);

        var actual = new List<string>();
        await foreach (var entity in table.Client.QueryAsync())
        {
            actual.Add($"{entity.PartitionKey}/{entity.RowKey}");
        }

        Assert.Equal(expected, actual);
    }

    [Fact]
    public async Task QueryAsync_FromAContinuationToken_ResumesAfterThePagesAlreadyRead()
    {
        await using var table = await azurite.CreateTableAsync();
        var expected = await SeedAsync(table.Client, 500);
        string? token = null;
        await foreach (var page in table.Client.QueryAsync(maxPerPage: 200).AsPages())
        {
            token = page.ContinuationToken;
            break;
        }

        var rest = new List<string>();
        await foreach (var page in table.Client.QueryAsync(maxPerPage: 200).AsPages(token))
        {
            rest.AddRange(page.Values.Select(e => $"{e.PartitionKey}/{e.RowKey}"));
        }

        Assert.Equal(expected.Skip(200), rest);
    }

    [Fact]
    public async Task QueryAsync_Select_ReturnsOnlyTheSelectedProperties()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(EveryType("p", "r1"));
        await table.Client.AddEntityAsync(EveryType("p", "r2"));

        var entities = await ToListAsync(table.Client.QueryAsync(select: ["RowKey", "Long", "Guid"]));

        Assert.Equal(2, entities.Count);
        Assert.All(entities, e => Assert.Equal(["Guid", "Long", "RowKey", "odata.etag"], e.Keys.Order(StringComparer.Ordinal)));
        Assert.Equal(["r1", "r2"], entities.Select(e => e.RowKey));
        Assert.All(entities, e => Assert.Equal(5_000_000_000L, e["Long"]));
        Assert.All(entities, e => Assert.Equal(_guid, e["Guid"]));
    }

    public static TheoryData<string, string[]> Filters => new()
    {
        { TableFilter.Create($"Name eq {"beta"}"), ["2"] },
        { TableFilter.Create($"Name ge {"b"} and Name lt {"d"}"), ["2", "3"] },
        { TableFilter.Create($"Count gt {2}"), ["3", "4"] },
        { TableFilter.Create($"Big eq {5_000_000_002L}"), ["3"] },
        { TableFilter.Create($"Ratio le {1.5}"), ["1", "2"] },
        { TableFilter.Create($"When ge {new DateTimeOffset(2021, 1, 1, 0, 0, 0, TimeSpan.Zero)}"), ["2", "3", "4"] },
        { TableFilter.Create($"When lt {new DateTime(2020, 6, 1, 0, 0, 0, DateTimeKind.Utc)}"), ["1"] },
        { TableFilter.Create($"Active eq {true}"), ["1", "3"] },
        { TableFilter.Create($"Active eq {false} and Count ge {2}"), ["2", "4"] },
        { TableFilter.Create($"Id eq {Guid.Parse("00000000-0000-0000-0000-000000000004")}"), ["4"] },
        { TableFilter.Create($"PartitionKey eq {"p"} and RowKey gt {"2"}"), ["3", "4"] },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task QueryAsync_Filter_ReturnsExactlyTheMatchingEntities(string filter, string[] expectedRowKeys)
    {
        await using var table = await azurite.CreateTableAsync();
        string[] names = ["alpha", "beta", "charlie", "delta"];
        for (var i = 1; i <= 4; i++)
        {
            await table.Client.AddEntityAsync(new TableEntity("p", i.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                ["Name"] = names[i - 1],
                ["Count"] = i,
                ["Big"] = 5_000_000_000L + i - 1,
                ["Ratio"] = i * 0.75,
                ["When"] = new DateTimeOffset(2019 + i, 1, 1, 0, 0, 0, TimeSpan.Zero),
                ["Active"] = i % 2 == 1,
                ["Id"] = Guid.Parse($"00000000-0000-0000-0000-00000000000{i}"),
            });
        }

        var entities = await ToListAsync(table.Client.QueryAsync(filter));

        Assert.Equal(expectedRowKeys, entities.Select(e => e.RowKey));
    }

    [Fact]
    public async Task QueryAsync_ValueThatTriesToBreakOutOfItsQuotes_MatchesOnlyThatLiteralValue()
    {
        await using var table = await azurite.CreateTableAsync();
        const string hostile = "' or PartitionKey ne '";
        await table.Client.AddEntityAsync(new TableEntity("a", "1") { ["Name"] = "x" });
        await table.Client.AddEntityAsync(new TableEntity("b", "2") { ["Name"] = "x" });
        await table.Client.AddEntityAsync(new TableEntity("c", "3") { ["Name"] = hostile });

        var value = hostile;
        var filter = TableFilter.Create($"Name eq {value}");
        var entities = await ToListAsync(table.Client.QueryAsync(filter));

        Assert.Equal("Name eq ''' or PartitionKey ne '''", filter);
        var only = Assert.Single(entities);
        Assert.Equal("c", only.PartitionKey);
        Assert.Equal(hostile, only.GetString("Name"));
    }

    [Fact]
    public async Task QueryAsync_InvalidFilter_Throws400WhenEnumerated()
    {
        await using var table = await azurite.CreateTableAsync();
        await table.Client.AddEntityAsync(new TableEntity("p", "r"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => ToListAsync(table.Client.QueryAsync("Name eq eq")));

        Assert.Equal(400, error.Status);
        Assert.Equal("InvalidInput", error.ErrorCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task QueryAsync_PageSizeOutsideOneTo1000_ThrowsArgumentOutOfRange(int maxPerPage)
    {
        await using var table = await azurite.CreateTableAsync();

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => table.Client.QueryAsync(maxPerPage: maxPerPage));

        Assert.Equal("maxPerPage", error.ParamName);
    }

    private static async Task<List<TableEntity>> ToListAsync(AsyncPageable<TableEntity> pageable)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in pageable)
        {
            list.Add(entity);
        }

        return list;
    }
}
