using Azure.Data.Tables;
using Compliance.Emulator.Azurite;

namespace Compliance.Testing;

/// <summary>
/// One real Azurite (Tables, Queues and Blobs, in memory, on free loopback ports) for the tests that share the fixture,
/// started through the production launcher; the first run of a checkout installs it with <c>npm ci</c>. The tests keep
/// to tables, prefixes and queues of their own, so they need not clean up after one another.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    public TableClient Client(string tableName, TableClientOptions? options = null) => new(ConnectionString, tableName, options);

    /// <summary>A new, created table of its own; deleted when the returned handle is disposed.</summary>
    public async Task<ScratchTable> CreateTableAsync()
    {
        var client = Client(ScratchTable.NewName());
        await client.CreateIfNotExistsAsync();
        return new ScratchTable(client);
    }
}
