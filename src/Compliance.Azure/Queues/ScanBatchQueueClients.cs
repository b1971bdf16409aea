using Azure.Core;
using Azure.Storage.Queues;
using Compliance.Azure.Storage;
using Compliance.Core.Queues;

namespace Compliance.Azure.Queues;

/// <summary>
/// The batch queue and its poison queue, reached by connection string or by Queue service URI with a token credential
/// (managed identity). Messages are written as is (JSON text): the Functions host's queue bindings are set to
/// <c>messageEncoding: none</c> (host.json), and readers accept Base64 too (<see cref="QueueMessageText"/>).
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
        ArgumentNullException.ThrowIfNull(queue);
        return Create(storage, queue.QueueName, credential, clientOptions);
    }

    /// <summary>The clients of the queue <paramref name="queueName"/> and of its poison queue.</summary>
    public static ScanBatchQueueClients Create(TableStoreOptions storage, string queueName, TokenCredential credential, QueueClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        ArgumentNullException.ThrowIfNull(credential);
        clientOptions ??= new QueueClientOptions();
        clientOptions.MessageEncoding = QueueMessageEncoding.None;
        var service = !string.IsNullOrWhiteSpace(storage.ConnectionString)
            ? new QueueServiceClient(storage.ConnectionString, clientOptions)
            : new QueueServiceClient(
                storage.QueueServiceUri ?? throw new InvalidOperationException($"{TableStoreOptions.SectionName} needs a ConnectionString or a {nameof(TableStoreOptions.QueueServiceUri)} for the batch queue."),
                credential,
                clientOptions);
        return new ScanBatchQueueClients(service.GetQueueClient(queueName), service.GetQueueClient(ScanQueueOptions.PoisonOf(queueName)));
    }
}
