using Azure;
using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed class TableEntityTests
{
    [Fact]
    public void Constructor_Keys_AreStoredAsProperties()
    {
        var entity = new TableEntity("p", "r");

        Assert.Equal("p", entity["PartitionKey"]);
        Assert.Equal("r", entity["RowKey"]);
        Assert.Equal(2, entity.Count);
    }

    [Fact]
    public void PartitionKey_OfAnEmptyEntity_IsEmpty()
    {
        var entity = new TableEntity();

        Assert.Equal(string.Empty, entity.PartitionKey);
        Assert.Equal(string.Empty, entity.RowKey);
        Assert.Null(entity.Timestamp);
        Assert.Equal(default, entity.ETag);
    }

    [Fact]
    public void ETag_SetAndCleared_IsStoredAsTheODataETagProperty()
    {
        var entity = new TableEntity("p", "r") { ETag = new ETag("W/\"1\"") };
        var stored = entity["odata.etag"];
        entity.ETag = default;

        Assert.Equal("W/\"1\"", stored);
        Assert.False(entity.ContainsKey("odata.etag"));
    }

    [Fact]
    public void Getters_MissingProperty_ReturnNull()
    {
        var entity = new TableEntity("p", "r");

        Assert.Null(entity.GetString("x"));
        Assert.Null(entity.GetInt32("x"));
        Assert.Null(entity.GetInt64("x"));
        Assert.Null(entity.GetDouble("x"));
        Assert.Null(entity.GetBoolean("x"));
        Assert.Null(entity.GetDateTimeOffset("x"));
        Assert.Null(entity.GetGuid("x"));
        Assert.Null(entity.GetBinary("x"));
    }

    [Fact]
    public void Getters_NumbersWiden_IntToLongAndNumbersToDouble()
    {
        var entity = new TableEntity("p", "r") { ["I"] = 2, ["L"] = 5_000_000_000L };

        Assert.Equal(2L, entity.GetInt64("I"));
        Assert.Equal(2.0, entity.GetDouble("I"));
        Assert.Equal(5e9, entity.GetDouble("L"));
    }

    [Fact]
    public void GetDateTimeOffset_UtcDateTime_IsTheSameInstant()
    {
        var entity = new TableEntity("p", "r") { ["T"] = new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc) };

        Assert.Equal(new DateTimeOffset(2020, 1, 2, 3, 4, 5, TimeSpan.Zero), entity.GetDateTimeOffset("T"));
    }

    [Fact]
    public void Getters_WrongType_ThrowInvalidOperationExceptionNamingTheProperty()
    {
        var entity = new TableEntity("p", "r") { ["L"] = 5_000_000_000L, ["S"] = "text" };

        var narrowing = Assert.Throws<InvalidOperationException>(() => entity.GetInt32("L"));
        Assert.Throws<InvalidOperationException>(() => entity.GetGuid("S"));
        Assert.Throws<InvalidOperationException>(() => entity.GetString("L"));
        Assert.Contains("'L'", narrowing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dictionary_AddRemoveAndEnumerate_BehaveLikeADictionary()
    {
        var entity = new TableEntity("p", "r") { ["A"] = 1 };
        entity.Add("B", null);
        var removed = entity.Remove("A");

        Assert.True(removed);
        Assert.Equal(["B", "PartitionKey", "RowKey"], entity.Keys.Order(StringComparer.Ordinal));
        Assert.True(entity.TryGetValue("B", out var value));
        Assert.Null(value);
        Assert.Throws<ArgumentException>(() => entity.Add("B", 1));
    }
}
