using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>
/// The queue of scan batches inside one process, for when no Functions host provides one. A batch waits as the text of
/// its queue message (<see cref="ScanBatchJson"/>), as it would in the storage queue, so that the planned scan is not
/// held as objects; batches run on a fixed number of workers; a batch that fails is delivered again, up to
/// <see cref="MaxAttempts"/> times, as a queue message is before it goes to the poison queue.
/// </summary>
public sealed class ScanBatchQueue
{
    /// <summary>Deliveries of a batch before it is given up (the Functions host's <c>maxDequeueCount</c>).</summary>
    public const int MaxAttempts = 5;

    private readonly Channel<(string Message, int Attempt)> _channel = Channel.CreateUnbounded<(string, int)>();
    private readonly BatchRunner _runner;
    private readonly ILogger<ScanBatchQueue> _logger;
    private int _open;
    private int _redeliveries;
    private int _abandoned;
    private int _completing;

    /// <summary>Creates a queue whose batches <paramref name="runner"/> runs.</summary>
    public ScanBatchQueue(BatchRunner runner, ILogger<ScanBatchQueue> logger)
    {
        _runner = runner ?? throw new ArgumentNullException(nameof(runner));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Batches waiting or running.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>Batch runs that failed and were queued again.</summary>
    public int Redeliveries => Volatile.Read(ref _redeliveries);

    /// <summary>Batches given up after their last attempt.</summary>
    public int Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>Queues a batch.</summary>
    public ValueTask EnqueueAsync(ScanBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Interlocked.Increment(ref _open);
        return _channel.Writer.WriteAsync((ScanBatchJson.Serialize(batch), 1), cancellationToken);
    }

    /// <summary>
    /// Says that nothing more will be queued: <see cref="RunAsync"/> ends once every batch has run or been given up.
    /// </summary>
    public void CompleteAdding()
    {
        Interlocked.Exchange(ref _completing, 1);
        if (Open == 0)
        {
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>Runs queued batches, <paramref name="workers"/> at a time, until cancelled or, after <see cref="CompleteAdding"/>, drained.</summary>
    public Task RunAsync(int workers, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            _channel.Reader.ReadAllAsync(cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = workers, CancellationToken = cancellationToken },
            async (item, token) =>
            {
                var batch = ScanBatchJson.Deserialize(item.Message);
                try
                {
                    await _runner.RunAsync(batch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    var again = item.Attempt < MaxAttempts;
                    ScanLog.BatchFailed(_logger, batch.ScanId, batch.Index, item.Attempt, again, ex);
                    if (again)
                    {
                        Interlocked.Increment(ref _redeliveries);
                        await _channel.Writer.WriteAsync((item.Message, item.Attempt + 1), token).ConfigureAwait(false);
                        return;
                    }

                    Interlocked.Increment(ref _abandoned);
                }

                if (Interlocked.Decrement(ref _open) == 0 && Volatile.Read(ref _completing) == 1)
                {
                    _channel.Writer.TryComplete();
                }
            });
}
