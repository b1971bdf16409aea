using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Exemptions;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The exemption store on Table Storage (Azurite), each test under tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableExemptionStoreTests(AzuriteFixture azurite) : ExemptionStoreContract, IAsyncLifetime
{
    private readonly ScratchStoreTables _tables = new(azurite);

    protected override IExemptionStore Store => new TableExemptionStore(_tables.Tables);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
