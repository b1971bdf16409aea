using Compliance.Core.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Scanning;

/// <summary>
/// When the app runs on its own, the queue the Functions host would provide: scans are planned the same way and their
/// batches run on <see cref="ScanOptions.MaxConcurrentBatches"/> workers, each checking
/// <see cref="ScanOptions.MaxConcurrency"/> machines at a time, the same bounds as under the host, through a
/// <see cref="ScanBatchQueue"/> (batches held as message text, redelivered when they fail).
/// </summary>
internal sealed class InProcessScanQueue : BackgroundService
{
    private readonly ScanBatchQueue _queue;
    private readonly ScanPlanner _planner;
    private readonly IOptions<ScanOptions> _options;

    public InProcessScanQueue(ScanPlanner planner, BatchRunner runner, IOptions<ScanOptions> options, ILogger<ScanBatchQueue> logger)
    {
        _planner = planner;
        _options = options;
        _queue = new ScanBatchQueue(runner, logger);
    }

    /// <summary>Plans a scan and queues its batches.</summary>
    public async Task<ScanPlan> StartScanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        var plan = await _planner.PlanAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var batch in plan.Batches)
        {
            await _queue.EnqueueAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        return plan;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _queue.RunAsync(_options.Value.MaxConcurrentBatches, stoppingToken);
}
