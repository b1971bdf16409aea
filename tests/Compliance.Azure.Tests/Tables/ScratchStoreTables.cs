using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;

namespace Compliance.Azure.Tests.Tables;

/// <summary>The tables of the stores under a prefix one test owns, on the shared Azurite; deleted at the end of the test.</summary>
public sealed class ScratchStoreTables(AzuriteFixture azurite) : IAsyncDisposable
{
    public TableStoreTables Tables { get; } = TableStoreTables.Create(
        new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = "s" + Guid.NewGuid().ToString("N")[..12] },
        new StaticTokenCredential("unused: the connection string signs"));

    // Deleting a table that was never created answers 404, which the client does not throw for.
    public async ValueTask DisposeAsync() => await Task.WhenAll(Tables.All.Select(t => t.DeleteAsync()));
}
