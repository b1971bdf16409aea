using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// The two ways the store reaches Table Storage through Azure.Data.Tables: a connection string (Azurite, an account
/// key), and the Table service URI with a token credential (managed identity in Azure; here an HTTPS Azurite that checks
/// bearer tokens); and the one creation of the tables that every store shares.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableStoreTablesTests(AzuriteFixture azurite)
{
    private const string StorageAudience = "https://storage.azure.com";
    private const string EntraIssuer = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";

    private static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Create_TableServiceUriWithTokenCredential_AuthorisesEveryOperationOverHttps()
    {
        await using var https = await HttpsAzurite.StartAsync();
        var credential = new UnsignedJwtCredential(StorageAudience, EntraIssuer);
        var tables = TableStoreTables.Create(new TableStoreOptions { TableServiceUri = https.Process.TableEndpoint, TablePrefix = Prefix() }, credential, https.ClientOptions());

        await tables.States.CreateIfNotExistsAsync();
        await tables.States.AddEntityAsync(new TableEntity("p", "r1") { ["V"] = 1 });
        await tables.States.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r2") { ["V"] = 2 })]);
        var read = (await tables.States.GetEntityAsync<TableEntity>("p", "r1")).Value;
        var all = new List<string>();
        await foreach (var entity in tables.States.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"V ge {1}")))
        {
            all.Add(entity.RowKey);
        }

        await tables.States.DeleteAsync();

        Assert.StartsWith("https://127.0.0.1:", https.Process.TableEndpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, read.GetInt32("V"));
        Assert.Equal(["r1", "r2"], all);
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal("https://storage.azure.com/.default", scope));
    }

    [Fact]
    public async Task Create_TokenForAnotherAudience_CallsFailWith403()
    {
        await using var https = await HttpsAzurite.StartAsync();
        var credential = new UnsignedJwtCredential("https://management.azure.com", EntraIssuer);
        var tables = TableStoreTables.Create(new TableStoreOptions { TableServiceUri = https.Process.TableEndpoint, TablePrefix = Prefix() }, credential, https.ClientOptions());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => tables.Scans.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
    }

    [Fact]
    public async Task Create_TokenCredentialWithHttpEndpoint_NeverSendsTheToken()
    {
        var credential = new UnsignedJwtCredential(StorageAudience, EntraIssuer);
        var tables = TableStoreTables.Create(new TableStoreOptions { TableServiceUri = azurite.Azurite.TableEndpoint, TablePrefix = Prefix() }, credential);

        await Assert.ThrowsAnyAsync<Exception>(() => tables.Scans.CreateIfNotExistsAsync());

        Assert.Empty(credential.RequestedScopes);
    }

    [Fact]
    public async Task Create_ConnectionString_ReachesAzuriteWithItsKey()
    {
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = Prefix() }, new UnsignedJwtCredential(StorageAudience, EntraIssuer));

        await tables.Summary.CreateIfNotExistsAsync();
        await tables.Summary.UpsertEntityAsync(new TableEntity("s", "s") { ["N"] = 3 });

        Assert.Equal(3, (await tables.Summary.GetEntityAsync<TableEntity>("s", "s")).Value.GetInt32("N"));
        Assert.StartsWith(tables.Summary.Name[..13], tables.States.Name, StringComparison.Ordinal);
        await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
    }

    [Fact]
    public async Task EnsureCreated_EveryStoreUsedAtOnce_CreatesEachTableOnce()
    {
        var creations = new TableCreations();
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(creations, HttpPipelinePosition.PerCall);
        var prefix = Prefix();
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = prefix }, new UnsignedJwtCredential(StorageAudience, EntraIssuer), clientOptions);
        var now = DateTimeOffset.UtcNow;
        try
        {
            await Task.WhenAll(
                new TableEventInbox(tables).IsEventHandledAsync("evt-1", CancellationToken.None),
                new TableScanLedger(tables).GetSummaryAsync(CancellationToken.None),
                new TableLeaseStore(tables).TryAcquireLeaseAsync("lease", now, now.AddMinutes(1), CancellationToken.None),
                new TableVerdictStore(tables).GetStateAsync("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm", CancellationToken.None));
            await new TableVerdictStore(tables).QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync();

            var created = new List<string>();
            await foreach (var table in new TableServiceClient(azurite.Azurite.ConnectionString).QueryAsync(cancellationToken: CancellationToken.None))
            {
                if (table.Name.StartsWith(prefix, StringComparison.Ordinal))
                {
                    created.Add(table.Name);
                }
            }

            Assert.Equal(tables.All.Count, creations.Count);
            Assert.Equal(tables.All.Select(t => t.Name).Order(StringComparer.Ordinal), created.Order(StringComparer.Ordinal));
        }
        finally
        {
            await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        }
    }

    [Fact]
    public async Task EnsureCreated_CreationFailed_TheNextUseTriesAgain()
    {
        var creations = new TableCreations { Refusing = true };
        var clientOptions = new TableClientOptions();
        clientOptions.AddPolicy(creations, HttpPipelinePosition.PerCall);
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = Prefix() }, new UnsignedJwtCredential(StorageAudience, EntraIssuer), clientOptions);
        var inbox = new TableEventInbox(tables);
        try
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
            creations.Refusing = false;

            await inbox.MarkEventHandledAsync("evt-1", DateTimeOffset.UtcNow, CancellationToken.None);

            Assert.True(await inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
            Assert.Equal(2 * tables.All.Count, creations.Count);
        }
        finally
        {
            await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        }
    }

    [Fact]
    public void Create_NeitherConnectionStringNorUri_SaysWhatIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TableStoreTables.Create(new TableStoreOptions(), new UnsignedJwtCredential(StorageAudience, EntraIssuer)));

        Assert.Contains("ConnectionString or a TableServiceUri", error.Message, StringComparison.Ordinal);
    }
}
