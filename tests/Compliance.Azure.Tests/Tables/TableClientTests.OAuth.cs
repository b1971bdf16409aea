using Azure;
using Compliance.Azure.Tables;

namespace Compliance.Azure.Tests.Tables;

public sealed partial class TableClientTests
{
    private const string StorageAudience = "https://storage.azure.com";
    private const string EntraIssuer = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";

    [Fact]
    public async Task Constructor_TokenCredentialAgainstAzuriteWithOAuth_AuthorisesEveryOperationOverHttps()
    {
        await using var azurite = await HttpsAzurite.StartAsync();
        var credential = new UnsignedJwtCredential(StorageAudience, EntraIssuer);
        var client = new TableClient(azurite.Process.TableEndpoint, ScratchTable.NewName(), credential, azurite.ClientOptions());

        await client.CreateIfNotExistsAsync();
        await client.AddEntityAsync(new TableEntity("p", "r1") { ["V"] = 1 });
        await client.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p", "r2") { ["V"] = 2 })]);
        var read = (await client.GetEntityAsync("p", "r1")).Value;
        var all = await ToListAsync(client.QueryAsync(TableFilter.Create($"V ge {1}")));
        await client.DeleteAsync();

        Assert.StartsWith("https://127.0.0.1:", azurite.Process.TableEndpoint.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, read.GetInt32("V"));
        Assert.Equal(["r1", "r2"], all.Select(e => e.RowKey));
        Assert.NotEmpty(credential.RequestedScopes);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal("https://storage.azure.com/.default", scope));
    }

    [Fact]
    public async Task Constructor_TokenCredentialForAnotherAudience_CallsFailWith403()
    {
        await using var azurite = await HttpsAzurite.StartAsync();
        var credential = new UnsignedJwtCredential("https://management.azure.com", EntraIssuer);
        var client = new TableClient(azurite.Process.TableEndpoint, ScratchTable.NewName(), credential, azurite.ClientOptions());

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => client.CreateIfNotExistsAsync());

        Assert.Equal(403, error.Status);
        Assert.Equal("AuthenticationFailed", error.ErrorCode);
    }

    [Fact]
    public void Constructor_TokenCredentialWithHttpEndpoint_ThrowsArgumentException()
    {
        var credential = new UnsignedJwtCredential(StorageAudience, EntraIssuer);

        var error = Assert.Throws<ArgumentException>(() => new TableClient(azurite.Azurite.TableEndpoint, "table1", credential));

        Assert.Equal("serviceEndpoint", error.ParamName);
        Assert.Empty(credential.RequestedScopes);
    }
}
