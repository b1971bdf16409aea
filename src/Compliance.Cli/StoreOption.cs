namespace Compliance.Cli;

/// <summary>
/// What <c>--store</c> names: <c>none</c> (report only), <c>azurite</c> (a local Azurite: the one on the development
/// storage port if it runs, else the repository's own, persisting to <c>tools/azurite/data</c>), or a storage
/// connection string.
/// </summary>
internal sealed record StoreOption(StoreKind Kind, string? ConnectionString)
{
    public static StoreOption None { get; } = new(StoreKind.None, null);

    public static StoreOption Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || string.Equals(value, "none", StringComparison.OrdinalIgnoreCase))
        {
            return None;
        }

        if (string.Equals(value, "azurite", StringComparison.OrdinalIgnoreCase))
        {
            return new StoreOption(StoreKind.Azurite, null);
        }

        // Never echo the value: it may hold an account key.
        return value.Contains('=', StringComparison.Ordinal)
            ? new StoreOption(StoreKind.ConnectionString, value)
            : throw new UsageException("--store takes 'none', 'azurite' or a storage connection string (Key=Value;...).");
    }
}
