using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Remediation;

namespace Compliance.Azure.Tests.Storage;

/// <summary>The remediation plans on Table Storage (Azurite), each test under tables of its own.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableRemediationStoreTests(AzuriteFixture azurite) : RemediationStoreContract, IAsyncLifetime
{
    private readonly ScratchStoreTables _tables = new(azurite);

    protected override IRemediationStore Store => new TableRemediationStore(_tables.Tables);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _tables.DisposeAsync();
}
