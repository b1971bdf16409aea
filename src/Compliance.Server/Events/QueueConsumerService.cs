using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Events;

/// <summary>
/// On its own, a queue trigger's stand-in (the resource-change queue's, the re-check queue's): reads the queue and hands
/// each message to <see cref="HandleMessageAsync"/>, with the host's contract: a message is deleted once handled,
/// delivered again after <see cref="ScanQueueOptions.RetryDelay"/> when it failed, and moved to the poison queue after
/// <see cref="ScanQueueOptions.MaxDequeueCount"/> deliveries, or at once when it is malformed
/// (<see cref="InvalidDataException"/>).
/// </summary>
internal abstract class QueueConsumerService(
    IScanBatchQueue queue,
    IOptions<ScanQueueOptions> options,
    TimeProvider timeProvider,
    ILogger logger) : BackgroundService
{
    // As the host's queue trigger (host.json batchSize): a few messages at once, handled side by side.
    private const int ReceiveAtOnce = 4;
    private static readonly TimeSpan _firstWait = TimeSpan.FromMilliseconds(100);

    /// <summary>Handles one message's text; throws <see cref="InvalidDataException"/> when it is malformed.</summary>
    protected abstract Task HandleMessageAsync(string text, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = _firstWait;
        while (!stoppingToken.IsCancellationRequested)
        {
            IReadOnlyList<QueuedMessage> messages;
            try
            {
                messages = await queue.ReceiveAsync(ReceiveAtOnce, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The storage account is unreachable: look again later, as the host's trigger does.
                EventLog.MessageFailed(logger, "(receive)", 0, ex);
                messages = [];
            }

            if (messages.Count == 0)
            {
                await DelayAsync(wait, stoppingToken).ConfigureAwait(false);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, options.Value.MaxPollingInterval.Ticks));
                continue;
            }

            wait = _firstWait;
            await Task.WhenAll(messages.Select(message => HandleAsync(message, stoppingToken))).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        // Hidden again every half of its timeout while its events are handled (a re-check is a Run Command), so that it
        // is not delivered twice; if it is lost all the same, the delivery that took it owns it.
        await using var held = MessageHold.Start(queue, message, options.Value.VisibilityTimeout, timeProvider, logger, cancellationToken);
        try
        {
            await HandleMessageAsync(message.Text, held.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the message comes back after its visibility timeout.
            return;
        }
        catch (Exception ex)
        {
            if (await held.StopAsync().ConfigureAwait(false) is not { } current)
            {
                return;
            }

            if (ex is InvalidDataException)
            {
                EventLog.NotEvents(logger, current.MessageId, ex.Message);
                await SettleAsync(() => queue.PoisonAsync(current, cancellationToken)).ConfigureAwait(false);
            }
            else if (current.DequeueCount >= options.Value.MaxDequeueCount)
            {
                EventLog.GaveUp(logger, current.MessageId, current.DequeueCount);
                await SettleAsync(() => queue.PoisonAsync(current, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                EventLog.MessageFailed(logger, current.MessageId, current.DequeueCount, ex);
                await SettleAsync(() => queue.HideAsync(current, options.Value.RetryDelay, cancellationToken)).ConfigureAwait(false);
            }

            return;
        }

        if (await held.StopAsync().ConfigureAwait(false) is { } done)
        {
            await SettleAsync(() => queue.DeleteAsync(done, cancellationToken)).ConfigureAwait(false);
        }
    }

    // The message's fate is settled by the queue either way: if this call fails, it comes back after its timeout.
    private static async Task SettleAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Gone, cancelled or unreachable: nothing more to do here.
        }
    }

    private async Task DelayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
