using System.Threading.Channels;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// When the app runs on its own, the queue the Functions host would provide: scans are planned the same way and their
/// batches run on <see cref="ScanOptions.MaxConcurrentBatches"/> workers, each checking
/// <see cref="ScanOptions.MaxConcurrency"/> machines at a time, the same bounds as under the host. A batch that fails
/// is retried up to <see cref="MaxAttempts"/> times, like a queue message before it goes to the poison queue.
/// </summary>
internal sealed class InProcessScanQueue : BackgroundService
{
    private const int MaxAttempts = 5;

    private readonly Channel<(ScanBatch Batch, int Attempt)> _channel = Channel.CreateUnbounded<(ScanBatch, int)>();
    private readonly ScanPlanner _planner;
    private readonly BatchRunner _runner;
    private readonly IOptions<ScanOptions> _options;
    private readonly ILogger<InProcessScanQueue> _logger;

    public InProcessScanQueue(ScanPlanner planner, BatchRunner runner, IOptions<ScanOptions> options, ILogger<InProcessScanQueue> logger)
    {
        _planner = planner;
        _runner = runner;
        _options = options;
        _logger = logger;
    }

    /// <summary>Batches waiting or running.</summary>
    public int Pending => _channel.Reader.Count;

    /// <summary>Plans a scan and queues its batches.</summary>
    public async Task<ScanPlan> StartScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var plan = await _planner.PlanAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var batch in plan.Batches)
        {
            await _channel.Writer.WriteAsync((batch, 1), cancellationToken).ConfigureAwait(false);
        }

        return plan;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Parallel.ForEachAsync(
            _channel.Reader.ReadAllAsync(stoppingToken),
            new ParallelOptions { MaxDegreeOfParallelism = _options.Value.MaxConcurrentBatches, CancellationToken = stoppingToken },
            async (item, token) =>
            {
                try
                {
                    await _runner.RunAsync(item.Batch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    var again = item.Attempt < MaxAttempts;
                    ScanQueueLog.BatchFailed(_logger, item.Batch.ScanId, item.Batch.Index, item.Attempt, again, ex);
                    if (again)
                    {
                        await _channel.Writer.WriteAsync((item.Batch, item.Attempt + 1), token).ConfigureAwait(false);
                    }
                }
            });
}
