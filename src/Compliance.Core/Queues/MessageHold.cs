using Microsoft.Extensions.Logging;

namespace Compliance.Core.Queues;

/// <summary>
/// Keeps a received message hidden while its batch runs, hiding it again every half of the visibility timeout (as the
/// Functions host does), so that a long batch is not delivered twice. If the message is lost all the same (the process
/// stalled past the timeout and another delivery took it), <see cref="Token"/> is cancelled: the other delivery owns the
/// batch now.
/// </summary>
public sealed class MessageHold : IAsyncDisposable
{
    private readonly CancellationTokenSource _lost;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task<QueuedMessage?> _renewals;

    private MessageHold(CancellationTokenSource lost, Func<MessageHold, Task<QueuedMessage?>> renew)
    {
        _lost = lost;
        _renewals = renew(this);
    }

    /// <summary>Cancelled when the caller's token is, or when the message is lost.</summary>
    public CancellationToken Token => _lost.Token;

    public static MessageHold Start(IScanBatchQueue queue, QueuedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        var lost = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new MessageHold(lost, hold => hold.RenewAsync(queue, message, visibilityTimeout, timeProvider, logger));
    }

    /// <summary>Stops renewing; the message with its latest receipt, or <see langword="null"/> when it was lost.</summary>
    public async Task<QueuedMessage?> StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        return await _renewals.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task<QueuedMessage?> RenewAsync(IScanBatchQueue queue, QueuedMessage message, TimeSpan visibilityTimeout, TimeProvider timeProvider, ILogger logger)
    {
        var every = visibilityTimeout / 2;
        while (true)
        {
            try
            {
                await Task.Delay(every, timeProvider, _stop.Token).ConfigureAwait(false);
                message = await queue.HideAsync(message, visibilityTimeout, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return message;
            }
            catch (QueueMessageGoneException)
            {
                QueueLog.MessageGone(logger, message.MessageId);
                await _lost.CancelAsync().ConfigureAwait(false);
                return null;
            }
            catch (Exception ex)
            {
                // One failed renewal is not a loss yet: the message stays hidden for the rest of its time.
                QueueLog.QueueFailed(logger, message.MessageId, ex);
            }
        }
    }
}
