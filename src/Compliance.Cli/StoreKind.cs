namespace Compliance.Cli;

/// <summary>The kinds of <c>--store</c>.</summary>
internal enum StoreKind
{
    /// <summary>No store: the report only.</summary>
    None,

    /// <summary>A local Azurite.</summary>
    Azurite,

    /// <summary>A storage connection string.</summary>
    ConnectionString,
}
