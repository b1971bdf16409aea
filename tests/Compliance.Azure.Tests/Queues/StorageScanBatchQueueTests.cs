using Azure.Storage.Queues;
using Compliance.Azure.Queues;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Tests.Queues;

/// <summary>The storage batch queue against the contract, on real Azurite through Azure.Storage.Queues.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageScanBatchQueueTests(AzuriteFixture azurite) : ScanBatchQueueContract
{
    private const string StorageAudience = "https://storage.azure.com";
    private const string EntraIssuer = "https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/";

    private readonly Dictionary<IScanBatchQueue, ScanBatchQueueClients> _clients = [];

    private static ScanQueueOptions NewQueue() => new() { QueueName = "b" + Guid.NewGuid().ToString("N")[..20], VisibilityTimeout = VisibilityTimeout };

    protected override Task<IScanBatchQueue> CreateAsync()
    {
        var options = NewQueue();
        var clients = ScanBatchQueueClients.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString }, options, new UnsignedJwtCredential(StorageAudience, EntraIssuer));
        var queue = new StorageScanBatchQueue(clients, Options.Create(options));
        _clients[queue] = clients;
        return Task.FromResult<IScanBatchQueue>(queue);
    }

    protected override async Task<IReadOnlyList<string>> PoisonedAsync(IScanBatchQueue queue)
    {
        var peeked = await _clients[queue].Poison.PeekMessagesAsync(32);
        return peeked.Value.Select(m => m.Body.ToString()).ToList();
    }

    protected override Task PassAsync(TimeSpan time) => Task.Delay(time);

    [Fact]
    public async Task Send_MessagesNeverExpire_AndTravelAsJsonTextAsHostJsonSaysTheTriggersReadThem()
    {
        var queue = await CreateAsync();

        await queue.SendAsync(["{\"scanId\":\"s\"}"], CancellationToken.None);
        var raw = new QueueClient(azurite.Azurite.ConnectionString, _clients[queue].Batches.Name);
        var peeked = Assert.Single((await raw.PeekMessagesAsync(1)).Value);

        Assert.Equal(DateTimeOffset.MaxValue.Year, peeked.ExpiresOn!.Value.Year);
        // host.json's queues.messageEncoding is none: what is stored is what the trigger gets.
        Assert.Equal("{\"scanId\":\"s\"}", peeked.Body.ToString());
    }

    [Fact]
    public async Task Create_QueueServiceUriWithTokenCredential_AuthorisesEveryOperationOverHttps()
    {
        await using var https = await HttpsAzurite.StartAsync();
        var credential = new UnsignedJwtCredential(StorageAudience, EntraIssuer);
        var options = NewQueue();
        var clientOptions = new QueueClientOptions { Transport = https.ClientOptions().Transport };
        var clients = ScanBatchQueueClients.Create(new TableStoreOptions { QueueServiceUri = https.Process.QueueEndpoint }, options, credential, clientOptions);
        var queue = new StorageScanBatchQueue(clients, Options.Create(options));

        await queue.SendAsync(["a"], CancellationToken.None);
        var message = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));
        await queue.PoisonAsync(message, CancellationToken.None);

        Assert.StartsWith("https://127.0.0.1:", clients.Batches.Uri.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
        Assert.Single((await clients.Poison.PeekMessagesAsync(1)).Value);
        Assert.All(credential.RequestedScopes, scope => Assert.Equal("https://storage.azure.com/.default", scope));
        Assert.NotEmpty(credential.RequestedScopes);
    }

    [Fact]
    public void Create_NeitherConnectionStringNorQueueServiceUri_SaysWhatIsMissing()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ScanBatchQueueClients.Create(
            new TableStoreOptions { TableServiceUri = new Uri("https://account.table.core.windows.net/") }, NewQueue(), new UnsignedJwtCredential(StorageAudience, EntraIssuer)));

        Assert.Contains("QueueServiceUri", error.Message, StringComparison.Ordinal);
    }
}
