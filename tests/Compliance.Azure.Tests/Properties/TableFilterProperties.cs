using System.Text;
using Azure.Data.Tables;
using Compliance.Azure.Tests.Tables;
using FsCheck;
using FsCheck.Fluent;

namespace Compliance.Azure.Tests.Properties;

/// <summary>
/// The filter builder every store filter goes through (<c>TableClient.CreateQueryFilter</c> of Azure.Data.Tables), over
/// generated values: a value is always exactly one literal, so no value can add a clause; and, against Azurite, an
/// equality filter finds exactly the entities holding that value.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableFilterProperties(AzuriteFixture azurite)
{
    private static readonly string[] _pieces =
    [
        "'", "''", "' or '1' eq '1", "') or (true", " and ", " or ", "eq", "\"", "\\", "%27", "&", "$", "(", ")", "/", "?", "#",
        " ", "\t", "\n", "a", "Z", "0", "é", "€", "😀", "null", "true", "datetime'2020-01-01T00:00:00Z'",
    ];

    private static readonly Arbitrary<string> _values = Gen.OneOf(
            Gen.Elements(_pieces).ListOf().Select(string.Concat),
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null))
        .ToArbitrary();

    // Reads "Name eq '<literal>'" back: the value inside, or null when the text is not exactly one literal.
    private static string? Literal(string filter)
    {
        const string prefix = "Name eq '";
        if (!filter.StartsWith(prefix, StringComparison.Ordinal) || !filter.EndsWith('\''))
        {
            return null;
        }

        var value = new StringBuilder();
        for (var i = prefix.Length; i < filter.Length - 1; i++)
        {
            if (filter[i] == '\'')
            {
                // Inside a literal a quote only ever comes doubled; a single one would end it early.
                if (i + 1 >= filter.Length - 1 || filter[i + 1] != '\'')
                {
                    return null;
                }

                i++;
            }

            value.Append(filter[i]);
        }

        return value.ToString();
    }

    [Fact]
    public void Create_AnyString_IsExactlyOneLiteralOfThatString() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(2000).WithQuietOnSuccess(true),
            Prop.ForAll(_values, value => Literal(TableClient.CreateQueryFilter($"Name eq {value}")) == value));

    [Fact]
    public void Create_AnyStringsInTwoPlaces_KeepTheExpressionsShape() =>
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1000).WithQuietOnSuccess(true),
            Prop.ForAll(_values, _values, (a, b) =>
            {
                var filter = TableClient.CreateQueryFilter($"A eq {a} and B eq {b}");
                var left = TableClient.CreateQueryFilter($"A eq {a}");
                var right = TableClient.CreateQueryFilter($"B eq {b}");
                return filter == left + " and " + right;
            }));

    [Fact]
    public async Task Create_HostileValues_FindExactlyTheEntitiesHoldingThem()
    {
        string[] values =
        [
            "plain", "it's", "''", "' or '1' eq '1", "x') or (PartitionKey ne '", "x' or RowKey ne 'y", "é😀€",
            "\"double\"", "back\\slash", "new\nline", "%27 or 1 eq 1", " ", "' and Name eq '", "null",
        ];
        await using var table = await azurite.CreateTableAsync();
        for (var i = 0; i < values.Length; i++)
        {
            await table.Client.AddEntityAsync(new TableEntity("p", i.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)) { ["Name"] = values[i] });
        }

        foreach (var value in values)
        {
            var found = new List<string>();
            await foreach (var entity in table.Client.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {"p"} and Name eq {value}")))
            {
                found.Add((string)entity["Name"]!);
            }

            Assert.Equal([value], found);
        }
    }
}
