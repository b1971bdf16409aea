using Azure.Data.Tables;

namespace Compliance.Azure.Storage;

/// <summary>
/// Stores a long string across several properties: a Table Storage string property holds at most 32K characters
/// (64 KiB), while an entity holds 1 MiB. Written with replace semantics, so no stale parts remain.
/// </summary>
internal static class LargeProperty
{
    private const int PartLength = 30_000;

    public static void Write(TableEntity entity, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        var parts = (value.Length + PartLength - 1) / PartLength;
        entity[name] = value.Length <= PartLength ? value : value[..PartLength];
        for (var i = 1; i < parts; i++)
        {
            entity[$"{name}_{i}"] = value.Substring(i * PartLength, Math.Min(PartLength, value.Length - (i * PartLength)));
        }

        entity[$"{name}_Parts"] = Math.Max(parts, 1);
    }

    public static string? Read(TableEntity entity, string name)
    {
        var first = entity.GetString(name);
        if (first is null)
        {
            return null;
        }

        var parts = entity.GetInt32($"{name}_Parts") ?? 1;
        if (parts <= 1)
        {
            return first;
        }

        var builder = new System.Text.StringBuilder(first, parts * PartLength);
        for (var i = 1; i < parts; i++)
        {
            builder.Append(entity.GetString($"{name}_{i}")
                ?? throw new InvalidDataException($"Part {i} of property '{name}' of entity '{entity.PartitionKey}/{entity.RowKey}' is missing."));
        }

        return builder.ToString();
    }
}
