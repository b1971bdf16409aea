using System.Collections.Concurrent;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// The first half of a fanned-out scan (the timer or an on-demand request): lists the scope, cuts it into batches of
/// at most <see cref="ScanOptions.BatchSize"/> that each fit a queue message (<see cref="ScanBatchSplitter"/>), and
/// records the scan as started with its number of batches. Each batch then goes to a worker (<see cref="BatchRunner"/>)
/// through the batch queue. A scan with nothing to fan out is finished at once.
/// </summary>
public sealed class ScanPlanner
{
    private readonly ComplianceScanner _scanner;
    private readonly IResourceInventory _inventory;
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly ScanFinisher _finisher;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanPlanner> _logger;

    /// <summary>Creates a planner.</summary>
    public ScanPlanner(
        ComplianceScanner scanner,
        IResourceInventory inventory,
        IVerdictStore verdicts,
        IScanLedger ledger,
        ScanFinisher finisher,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<ScanPlanner> logger)
    {
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _finisher = finisher ?? throw new ArgumentNullException(nameof(finisher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Plans a scan of <paramref name="request"/>'s scope; <paramref name="progress"/> hears of the listing.</summary>
    public async Task<ScanPlan> PlanAsync(ScanRequest request, CancellationToken cancellationToken, IProgress<ScanProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = request.StartedAt ?? _timeProvider.GetUtcNow();
        var scanId = request.ScanId ?? ScanId.Create(startedAt);
        var options = _options.Value;
        var errors = new ConcurrentQueue<ScanError>();

        var subscriptions = await ScanScope.ResolveAsync(_inventory, request, options, errors, _logger, cancellationToken).ConfigureAwait(false);
        var resources = new List<InventoryResource>();
        var counters = progress is null ? null : new ScanCounters(progress);
        await foreach (var resource in _scanner.ListAsync(subscriptions, errors, counters, cancellationToken).ConfigureAwait(false))
        {
            resources.Add(resource);
        }

        var skipped = 0;
        if (options.SkipCompliantFor > TimeSpan.Zero)
        {
            var fresh = await FreshCompliantAsync(startedAt - options.SkipCompliantFor, cancellationToken).ConfigureAwait(false);
            skipped = resources.RemoveAll(r => fresh.Contains(r.Id.Value));
        }

        var (batches, tooLarge) = ScanBatchSplitter.Split(scanId, ScanOrder.Interleave(resources), options.BatchSize);
        foreach (var (resource, size) in tooLarge)
        {
            errors.Enqueue(new ScanError(resource.Id.Value, $"not checked: its description is {size:N0} bytes, more than a queue message holds ({ScanBatchJson.MaxMessageBytes:N0})"));
        }

        if (tooLarge.Count > 0)
        {
            ScanLog.TooLargeToQueue(_logger, scanId, tooLarge.Count);
        }

        var reportErrors = errors.Select(e => new ReportError(e.Scope, e.Message)).ToList();
        var started = new ScanRecord(scanId, startedAt, null, ComplianceReportBuilder.Summarize([]), 0, 0, ScanErrors.Bound(reportErrors), null)
        {
            Batches = batches.Count,
            PlannedAt = _timeProvider.GetUtcNow(),
            Requested = request.Requested,
            ErrorCount = reportErrors.Count,
        };
        await _ledger.SaveScanAsync(started, cancellationToken).ConfigureAwait(false);
        ScanLog.ScanPlanned(_logger, scanId, resources.Count, batches.Count, skipped, reportErrors.Count);

        if (batches.Count == 0)
        {
            // Nothing to fan out: the scan is complete now.
            await _finisher.TryFinishAsync(scanId, 0, cancellationToken).ConfigureAwait(false);
        }

        return new ScanPlan(scanId, startedAt, batches, errors.ToList()) { Skipped = skipped };
    }

    // Only the ids are kept: a set of strings, not the verdicts.
    private async Task<HashSet<string>> FreshCompliantAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var fresh = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await foreach (var stored in _verdicts.QueryStatesAsync(new StateQuery { Status = nameof(ComplianceStatus.Compliant) }, cancellationToken).ConfigureAwait(false))
        {
            if (stored.State.CheckedAt >= since)
            {
                fresh.Add(stored.State.ResourceId);
            }
        }

        return fresh;
    }
}
