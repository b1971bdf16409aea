using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The leases on Table Storage (Azurite), each test under tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableLeaseStoreTests(AzuriteFixture azurite) : LeaseStoreContract, IAsyncLifetime
{
    private readonly ScratchStoreTables _tables = new(azurite);

    protected override ILeaseStore Leases => new TableLeaseStore(_tables.Tables);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
