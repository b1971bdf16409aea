using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The scan ledger on Table Storage (Azurite), each test under tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableScanLedgerTests(AzuriteFixture azurite) : ScanLedgerContract, IAsyncLifetime
{
    private readonly ScratchStoreTables _tables = new(azurite);

    protected override IScanLedger Ledger => new TableScanLedger(_tables.Tables);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
