using Azure.Core;
using Azure.Storage.Queues;
using Compliance.Azure.Storage;
using Compliance.Core.Queues;

namespace Compliance.Azure.Queues;

/// <summary>
/// The batch queue and its poison queue, reached by connection string or by Queue service URI with a token credential
/// (managed identity). Messages are Base64-encoded, as the Functions host's queue bindings expect by default.
/// </summary>
public sealed class ScanBatchQueueClients
{
    private ScanBatchQueueClients(QueueClient batches, QueueClient poison)
    {
        Batches = batches;
        Poison = poison;
    }

    /// <summary>The queue of batches.</summary>
    public QueueClient Batches { get; }

    /// <summary>Where batches that kept failing go.</summary>
    public QueueClient Poison { get; }

    /// <summary>The clients for <paramref name="storage"/> and <paramref name="queue"/>; the credential is used only without a connection string.</summary>
    public static ScanBatchQueueClients Create(TableStoreOptions storage, ScanQueueOptions queue, TokenCredential credential, QueueClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(credential);
        clientOptions ??= new QueueClientOptions();
        clientOptions.MessageEncoding = QueueMessageEncoding.Base64;
        var service = !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new QueueServiceClient(storage.ConnectionString, clientOptions)
            : new QueueServiceClient(
                storage.QueueServiceUri ?? throw new InvalidOperationException($"{TableStoreOptions.SectionName} needs a ConnectionString or a {nameof(TableStoreOptions.QueueServiceUri)} for the batch queue."),
                credential,
                clientOptions);
        return new ScanBatchQueueClients(service.GetQueueClient(queue.QueueName), service.GetQueueClient(queue.PoisonQueueName));
    }
}
