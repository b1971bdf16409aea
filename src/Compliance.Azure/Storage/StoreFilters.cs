using System.Runtime.CompilerServices;
using Azure.Data.Tables;

namespace Compliance.Azure.Storage;

/// <summary>
/// Composes the store's filters. The text around the values is constant and built here from placeholders only; every
/// value goes through <see cref="TableClient.CreateQueryFilter(FormattableString)"/>, which escapes it by type.
/// </summary>
internal static class StoreFilters
{
    /// <summary>Azure Table Storage allows at most 15 discrete comparisons in one filter.</summary>
    public const int MaxRowKeysPerQuery = 14;

    /// <summary><c>PartitionKey eq pk and (RowKey eq k1 or RowKey eq k2 …)</c>.</summary>
    public static string PartitionAndRows(string partitionKey, IReadOnlyList<string> rowKeys)
    {
        if (rowKeys.Count is 0 or > MaxRowKeysPerQuery)
        {
            throw new ArgumentOutOfRangeException(nameof(rowKeys), rowKeys.Count, $"Between 1 and {MaxRowKeysPerQuery} row keys per query.");
        }

        var format = "PartitionKey eq {0} and (" + string.Join(" or ", rowKeys.Select((_, i) => $"RowKey eq {{{i + 1}}}")) + ")";
        return TableClient.CreateQueryFilter(FormattableStringFactory.Create(format, [partitionKey, .. rowKeys]));
    }

    /// <summary>
    /// <c>PartitionKey eq pk and RowKey ge prefix and RowKey lt prefix~</c>: the rows whose key starts with
    /// <paramref name="rowKeyPrefix"/>. Keys made by <see cref="Core.Storage.ResourceKey.Encode"/> hold only characters
    /// below <c>~</c>, so the range holds exactly them.
    /// </summary>
    public static string RowKeysStartingWith(string partitionKey, string rowKeyPrefix) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {rowKeyPrefix} and RowKey lt {rowKeyPrefix + "~"}");

    /// <summary>Both filters; either may be <c>null</c> (no condition).</summary>
    public static string? And(string? first, string? second) =>
        first is null ? second : second is null ? first : $"({first}) and ({second})";

    /// <summary>The conjunction of <c>Property eq value</c> for each given pair; <c>null</c> when there is none.</summary>
    public static string? Equalities(IReadOnlyList<(string Property, object Value)> conditions) => Conjunction(conditions, after: null);

    /// <summary>
    /// The conjunction of the equalities and, when <paramref name="after"/> is given, of "after this key" in the
    /// table's order: <c>(PartitionKey gt pk or (PartitionKey eq pk and RowKey gt rk))</c>.
    /// </summary>
    public static string? Conjunction(IReadOnlyList<(string Property, object Value)> conditions, (string PartitionKey, string RowKey)? after)
    {
        if (conditions.Count == 0 && after is null)
        {
            return null;
        }

        foreach (var (property, _) in conditions)
        {
            // Property names are constants of this assembly, never input; check anyway that they are plain names.
            if (property.Length == 0 || !property.All(char.IsAsciiLetterOrDigit))
            {
                throw new ArgumentException($"'{property}' is not a property name.", nameof(conditions));
            }
        }

        var parts = conditions.Select((c, i) => $"{c.Property} eq {{{i}}}").ToList();
        var values = conditions.Select(c => c.Value).ToList();
        if (after is { } key)
        {
            var pk = values.Count;
            parts.Add($"(PartitionKey gt {{{pk}}} or (PartitionKey eq {{{pk}}} and RowKey gt {{{pk + 1}}}))");
            values.Add(key.PartitionKey);
            values.Add(key.RowKey);
        }

        return TableClient.CreateQueryFilter(FormattableStringFactory.Create(string.Join(" and ", parts), values.ToArray()));
    }
}
