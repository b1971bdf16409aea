using Compliance.Core.Queues;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Events;

/// <summary>
/// On its own, the <c>ResourceChanged</c> queue trigger's stand-in: reads the resource-change queue that Event Grid (or
/// the emulator) writes to and hands each message to the <see cref="ResourceChangeHandler"/>, with the host's
/// contract: a message is deleted once handled, delivered again after <see cref="ScanQueueOptions.RetryDelay"/> when it
/// failed, and moved to the poison queue after <see cref="ScanQueueOptions.MaxDequeueCount"/> deliveries, or at once
/// when it is not events at all.
/// </summary>
internal sealed class ResourceChangeQueueService(
    [FromKeyedServices(ResourceChangeQueueOptions.ServiceKey)] IScanBatchQueue queue,
    ResourceChangeHandler handler,
    IOptions<ScanQueueOptions> options,
    TimeProvider timeProvider,
    ILogger<ResourceChangeQueueService> logger) : BackgroundService
{
    // As the host's queue trigger (host.json batchSize): a few messages at once, handled side by side, so that each is
    // done well within its visibility timeout (a re-check is one Run Command).
    private const int ReceiveAtOnce = 4;
    private static readonly TimeSpan _firstWait = TimeSpan.FromMilliseconds(100);

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
        try
        {
            await handler.HandleAsync(message.Text, cancellationToken).ConfigureAwait(false);
            await queue.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            EventLog.NotEvents(logger, message.MessageId, ex.Message);
            await SettleAsync(() => queue.PoisonAsync(message, cancellationToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the message comes back after its visibility timeout.
        }
        catch (Exception ex)
        {
            if (message.DequeueCount >= options.Value.MaxDequeueCount)
            {
                EventLog.GaveUp(logger, message.MessageId, message.DequeueCount);
                await SettleAsync(() => queue.PoisonAsync(message, cancellationToken)).ConfigureAwait(false);
            }
            else
            {
                EventLog.MessageFailed(logger, message.MessageId, message.DequeueCount, ex);
                await SettleAsync(() => queue.HideAsync(message, options.Value.RetryDelay, cancellationToken)).ConfigureAwait(false);
            }
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
