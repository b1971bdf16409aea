namespace Compliance.Core.Queues;

/// <summary>
/// The port to the queue that carries a scan's batches, with a storage queue's contract: a received message is hidden,
/// not removed, for <see cref="ScanQueueOptions.VisibilityTimeout"/>; it is removed only by <see cref="DeleteAsync"/>,
/// after its batch's verdicts are stored, so a process that dies leaves it to come back; each delivery counts in
/// <see cref="QueuedMessage.DequeueCount"/>; a message that keeps failing goes to the poison queue.
/// </summary>
public interface IScanBatchQueue
{
    /// <summary>Sends messages (the text of <see cref="Scanning.ScanBatchJson"/>), in order.</summary>
    Task SendAsync(IReadOnlyList<string> messages, CancellationToken cancellationToken);

    /// <summary>Sends one message that becomes visible only <paramref name="visibleIn"/> from now (a delayed re-check).</summary>
    Task SendAsync(string message, TimeSpan visibleIn, CancellationToken cancellationToken);

    /// <summary>Receives up to <paramref name="maxMessages"/> visible messages and hides them; none when the queue is empty.</summary>
    Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken);

    /// <summary>
    /// Hides a received message for <paramref name="visibleIn"/> from now (to keep it while its batch still runs, or to
    /// bring it back after a pause when it failed). Returns the message with its new receipt.
    /// </summary>
    /// <exception cref="QueueMessageGoneException">The message's receipt is no longer valid: it came back and was received again, or was deleted.</exception>
    Task<QueuedMessage> HideAsync(QueuedMessage message, TimeSpan visibleIn, CancellationToken cancellationToken);

    /// <summary>Removes a received message for good.</summary>
    /// <exception cref="QueueMessageGoneException">The message's receipt is no longer valid.</exception>
    Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken);

    /// <summary>Moves a received message to the poison queue, where an operator can read it; it is not delivered again.</summary>
    /// <exception cref="QueueMessageGoneException">The message's receipt is no longer valid.</exception>
    Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// Messages in the queue, hidden ones included (an estimate on a storage queue, exact in memory): zero means no
    /// batch of any scan is in flight.
    /// </summary>
    Task<int> CountAsync(CancellationToken cancellationToken);
}
