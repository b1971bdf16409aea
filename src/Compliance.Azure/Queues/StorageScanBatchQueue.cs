using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Queues;

/// <summary>
/// The batch queue on Azure Queue Storage (<see cref="QueueClient"/>): the queue the Functions app's trigger and output
/// binding use, so batches sent by any host are run by any other. Messages live until deleted (no time-to-live), so a
/// batch is never dropped while its scan waits for it.
/// </summary>
internal sealed class StorageScanBatchQueue : IScanBatchQueue
{
    // A storage queue hands out at most 32 messages per receive.
    private const int MaxReceive = 32;
    private const int SendsAtOnce = 8;
    private static readonly TimeSpan _forever = TimeSpan.FromSeconds(-1);

    private readonly QueueClient _batches;
    private readonly QueueClient _poison;
    private readonly IOptions<ScanQueueOptions> _options;
    private Task? _creating;

    public StorageScanBatchQueue(ScanBatchQueueClients clients, IOptions<ScanQueueOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _batches = clients.Batches;
        _poison = clients.Poison;
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    public async Task SendAsync(IReadOnlyList<string> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(
            messages,
            new ParallelOptions { MaxDegreeOfParallelism = SendsAtOnce, CancellationToken = cancellationToken },
            async (text, token) => await _batches.SendMessageAsync(text, visibilityTimeout: null, timeToLive: _forever, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    public async Task SendAsync(string message, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await _batches.SendMessageAsync(message, visibilityTimeout: visibleIn, timeToLive: _forever, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var received = await _batches.ReceiveMessagesAsync(Math.Min(maxMessages, MaxReceive), _options.Value.VisibilityTimeout, cancellationToken).ConfigureAwait(false);
        return received.Value.Select(m => new QueuedMessage(m.MessageId, m.PopReceipt, m.DequeueCount, m.Body.ToString())).ToList();
    }

    public async Task<QueuedMessage> HideAsync(QueuedMessage message, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            var updated = await _batches.UpdateMessageAsync(message.MessageId, message.Receipt, message: (BinaryData?)null, visibleIn, cancellationToken).ConfigureAwait(false);
            return message with { Receipt = updated.Value.PopReceipt };
        }
        catch (RequestFailedException ex) when (IsGone(ex))
        {
            throw Gone(message, ex);
        }
    }

    public async Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await _batches.DeleteMessageAsync(message.MessageId, message.Receipt, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsGone(ex))
        {
            throw Gone(message, ex);
        }
    }

    public async Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Copied first, then removed: a crash in between leaves the batch in both queues, never in neither.
        await _poison.SendMessageAsync(message.Text, visibilityTimeout: null, timeToLive: _forever, cancellationToken).ConfigureAwait(false);
        await DeleteAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        QueueProperties properties = await _batches.GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return properties.ApproximateMessagesCount;
    }

    // Once per process, tried again after a failure (the account may have been unreachable at start).
    private Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        var creating = Volatile.Read(ref _creating);
        if (creating is null || creating.IsFaulted || creating.IsCanceled)
        {
            creating = Task.WhenAll(_batches.CreateIfNotExistsAsync(), _poison.CreateIfNotExistsAsync());
            Volatile.Write(ref _creating, creating);
        }

        return creating.WaitAsync(cancellationToken);
    }

    // 404 MessageNotFound: deleted, or its receipt is stale after another receive; 400 PopReceiptMismatch: the same.
    private static bool IsGone(RequestFailedException ex) =>
        ex.Status == 404 || ex.ErrorCode == QueueErrorCode.PopReceiptMismatch.ToString();

    private static QueueMessageGoneException Gone(QueuedMessage message, RequestFailedException ex) =>
        new($"Message {message.MessageId} is no longer held with this receipt ({ex.ErrorCode ?? ex.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}).", ex);
}
