using Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;

namespace Compliance.Testing;

/// <summary>
/// The tables of the stores under a prefix of their own on an Azurite shared with other tests (one test's, or one app
/// under test's); deleted when disposed.
/// </summary>
public sealed class ScratchStoreTables : IAsyncDisposable
{
    /// <summary>Tables on the Azurite of <paramref name="azurite"/>.</summary>
    public ScratchStoreTables(AzuriteFixture azurite)
        : this(azurite.ConnectionString)
    {
    }

    /// <summary>Tables on the storage of <paramref name="connectionString"/>.</summary>
    public ScratchStoreTables(string connectionString)
    {
        Prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        Tables = TableStoreTables.Create(
            new TableStoreOptions { ConnectionString = connectionString, TablePrefix = Prefix },
            new StaticTokenCredential("unused: the connection string signs"));
    }

    /// <summary>The table prefix (<c>Compliance:Storage:TablePrefix</c>).</summary>
    public string Prefix { get; }

    public TableStoreTables Tables { get; }

    public async ValueTask DisposeAsync()
    {
        try
        {
            // Deleting a table that was never created answers 404, which the client does not throw for.
            await Task.WhenAll(Tables.All.Select(t => t.DeleteAsync()));
        }
        catch (RequestFailedException)
        {
            // The Azurite of a test that stopped its own may be gone already: nothing is left to delete.
        }
    }
}
