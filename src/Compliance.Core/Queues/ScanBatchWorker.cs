using System.Text.Json;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Queues;

/// <summary>
/// Runs the batches of the batch queue where no Functions host does (the app on its own, the CLI), the way the host's
/// queue trigger does: <see cref="ScanOptions.MaxConcurrentBatches"/> at a time, each message kept hidden while its
/// batch runs and deleted only after the batch stored its verdicts; a batch that fails comes back after
/// <see cref="ScanQueueOptions.RetryDelay"/>, and after <see cref="ScanQueueOptions.MaxDequeueCount"/> deliveries it goes
/// to the poison queue and is recorded as given up, so that its scan can end. A message that is not a batch goes there at
/// once. Whenever it finds the queue empty (at most once a minute) it has the scans left running ended
/// (<see cref="ScanRecovery"/>), so no scan stays "running" for ever.
/// </summary>
public sealed class ScanBatchWorker
{
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RecoveryEvery = TimeSpan.FromMinutes(1);

    private readonly IScanBatchQueue _queue;
    private readonly ScanPipeline _pipeline;
    private readonly IOptions<ScanQueueOptions> _queueOptions;
    private readonly IOptions<ScanOptions> _scanOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanBatchWorker> _logger;
    private int _retried;
    private int _poisoned;

    /// <summary>Creates a worker over <paramref name="queue"/>.</summary>
    public ScanBatchWorker(
        IScanBatchQueue queue,
        ScanPipeline pipeline,
        IOptions<ScanQueueOptions> queueOptions,
        IOptions<ScanOptions> scanOptions,
        TimeProvider timeProvider,
        ILogger<ScanBatchWorker> logger)
    {
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _queueOptions = queueOptions ?? throw new ArgumentNullException(nameof(queueOptions));
        _scanOptions = scanOptions ?? throw new ArgumentNullException(nameof(scanOptions));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Batch runs that failed and were left to come back.</summary>
    public int Retried => Volatile.Read(ref _retried);

    /// <summary>Messages moved to the poison queue.</summary>
    public int Poisoned => Volatile.Read(ref _poisoned);

    /// <summary>Runs batches until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        RunUntilAsync(static _ => ValueTask.FromResult(false), onBatchDone: null, cancellationToken);

    /// <summary>
    /// Runs batches until <paramref name="done"/> says so; it is asked whenever the queue is found empty with no batch
    /// under way. <paramref name="onBatchDone"/> hears of every batch that ran to its end.
    /// </summary>
    public async Task RunUntilAsync(Func<CancellationToken, ValueTask<bool>> done, Action<ScanBatch, BatchOutcome>? onBatchDone, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(done);
        var nextRecovery = DateTimeOffset.MinValue;
        var slots = _scanOptions.Value.MaxConcurrentBatches;
        var running = new List<Task>(slots);
        var poll = FirstPoll;
        try
        {
            while (true)
            {
                running.RemoveAll(t => t.IsCompleted);
                if (running.Count < slots)
                {
                    var received = await _queue.ReceiveAsync(slots - running.Count, cancellationToken).ConfigureAwait(false);
                    foreach (var message in received)
                    {
                        running.Add(Task.Run(() => HandleAsync(message, onBatchDone, cancellationToken), CancellationToken.None));
                    }

                    if (received.Count > 0)
                    {
                        poll = FirstPoll;
                        continue;
                    }

                    if (running.Count == 0)
                    {
                        if (_timeProvider.GetUtcNow() >= nextRecovery)
                        {
                            nextRecovery = _timeProvider.GetUtcNow() + RecoveryEvery;
                            await RecoverAsync(cancellationToken).ConfigureAwait(false);
                        }

                        if (await done(cancellationToken).ConfigureAwait(false))
                        {
                            return;
                        }
                    }
                }

                // Wait for a batch to end or, with room for more, for the next look at the queue.
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Task[] ends = running.Count < slots ? [Task.Delay(poll, _timeProvider, waiting.Token), .. running] : [.. running];
                await Task.WhenAny(ends).ConfigureAwait(false);
                await waiting.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                poll = TimeSpan.FromTicks(Math.Min(poll.Ticks * 2, _queueOptions.Value.MaxPollingInterval.Ticks));
            }
        }
        finally
        {
            // A batch under way ends by itself (on cancellation it gives its message back); none is left running.
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    // Never throws: whatever happens to one batch is the queue's business (retry, poison), not the worker's.
    private async Task HandleAsync(QueuedMessage message, Action<ScanBatch, BatchOutcome>? onBatchDone, CancellationToken cancellationToken)
    {
        var options = _queueOptions.Value;
        ScanBatch batch;
        try
        {
            batch = ScanBatchJson.Deserialize(QueueMessageText.Decode(message.Text));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            QueueLog.NotABatch(_logger, message.MessageId, ex.Message);
            await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (message.DequeueCount > options.MaxDequeueCount)
        {
            // Delivered more often than allowed (its worker kept dying): the host would not run it again either.
            await GiveUpAsync(batch, message, $"its message was delivered {message.DequeueCount} times", cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var held = MessageHold.Start(_queue, message, options.VisibilityTimeout, _timeProvider, _logger, cancellationToken);
        try
        {
            var outcome = await _pipeline.RunBatchAsync(batch, held.Token).ConfigureAwait(false);
            onBatchDone?.Invoke(batch, outcome);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Null when the hold was lost: the message came back to another delivery, which owns it now.
            var current = await held.StopAsync().ConfigureAwait(false);
            if (current is null)
            {
                return;
            }

            var last = message.DequeueCount >= options.MaxDequeueCount;
            QueueLog.BatchFailed(_logger, batch.ScanId, batch.Index, message.DequeueCount, !last, ex);
            if (last)
            {
                await GiveUpAsync(batch, current, ComplianceScanner.Describe(ex), cancellationToken).ConfigureAwait(false);
                return;
            }

            // A batch out of time stored what it judged: its next delivery goes on from there at once.
            Interlocked.Increment(ref _retried);
            var pause = ex is ScanBatchIncompleteException ? TimeSpan.Zero : options.RetryDelay;
            await TryAsync(() => _queue.HideAsync(current, pause, cancellationToken), current).ConfigureAwait(false);
            return;
        }
        catch (Exception) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: the message comes back when its time runs out, or now if it can be given back.
            if (await held.StopAsync().ConfigureAwait(false) is { } current)
            {
                await TryAsync(() => _queue.HideAsync(current, TimeSpan.Zero, CancellationToken.None), current).ConfigureAwait(false);
            }

            return;
        }

        if (await held.StopAsync().ConfigureAwait(false) is { } done)
        {
            await TryAsync(() => _queue.DeleteAsync(done, cancellationToken), done).ConfigureAwait(false);
        }
    }

    // Recorded as given up first, so that its scan can end; then out of the queue. Should recording fail, the message
    // stays and the next delivery tries again.
    private async Task GiveUpAsync(ScanBatch batch, QueuedMessage message, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.AbandonBatchAsync(batch, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            QueueLog.QueueFailed(_logger, message.MessageId, ex);
            return;
        }

        await PoisonAsync(message, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecoverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _pipeline.RecoverAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The store or the queue is away: the next look tries again.
            QueueLog.RecoveryFailed(_logger, ex);
        }
    }

    private async Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        if (await TryAsync(() => _queue.PoisonAsync(message, cancellationToken), message).ConfigureAwait(false))
        {
            Interlocked.Increment(ref _poisoned);
            QueueLog.Poisoned(_logger, message.MessageId, message.DequeueCount);
        }
    }

    // A queue that fails now leaves the message to come back by itself; nothing more can be done for it here.
    private async Task<bool> TryAsync(Func<Task> action, QueuedMessage message)
    {
        try
        {
            await action().ConfigureAwait(false);
            return true;
        }
        catch (QueueMessageGoneException)
        {
            QueueLog.MessageGone(_logger, message.MessageId);
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            QueueLog.QueueFailed(_logger, message.MessageId, ex);
            return false;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
