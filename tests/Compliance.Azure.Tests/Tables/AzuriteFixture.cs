using Azure.Data.Tables;
using Compliance.Emulator.Azurite;

namespace Compliance.Azure.Tests.Tables;

/// <summary>
/// One real Azurite (Table service, in memory, on a free loopback port) for every test of <see cref="AzuriteCollection"/>,
/// started through the production launcher; the first run of a checkout installs it with <c>npm ci</c>.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }

    public TableClient Client(string tableName, TableClientOptions? options = null) => new(Azurite.ConnectionString, tableName, options);

    /// <summary>A new, created table of its own; deleted when the returned handle is disposed.</summary>
    public async Task<ScratchTable> CreateTableAsync()
    {
        var client = Client(ScratchTable.NewName());
        await client.CreateIfNotExistsAsync();
        return new ScratchTable(client);
    }
}
