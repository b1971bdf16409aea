using System.Collections.Concurrent;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// The first half of a fanned-out scan (the timer or an on-demand request): lists the scope and splits it into batches
/// of <see cref="ScanOptions.BatchSize"/>, and records the scan as started. Each batch then goes to a worker
/// (<see cref="BatchRunner"/>), through the Functions queue or the app's own.
/// </summary>
public sealed class ScanPlanner
{
    private readonly ComplianceScanner _scanner;
    private readonly IResourceInventory _inventory;
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly IReadOnlyList<string> _sinks;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanPlanner> _logger;

    /// <summary>Creates a planner.</summary>
    public ScanPlanner(
        ComplianceScanner scanner,
        IResourceInventory inventory,
        IVerdictStore verdicts,
        IScanLedger ledger,
        IEnumerable<INotificationSink> sinks,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<ScanPlanner> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _sinks = sinks.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Plans a scan of <paramref name="request"/>'s scope.</summary>
    public async Task<ScanPlan> PlanAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var startedAt = _timeProvider.GetUtcNow();
        var scanId = request.ScanId ?? ScanId.Create(startedAt);
        var options = _options.Value;
        var errors = new ConcurrentQueue<ScanError>();

        var subscriptions = await ScanScope.ResolveAsync(_inventory, request, options, errors, _logger, cancellationToken).ConfigureAwait(false);
        var resources = new List<InventoryResource>();
        await foreach (var resource in _scanner.ListAsync(subscriptions, errors, counters: null, cancellationToken).ConfigureAwait(false))
        {
            resources.Add(resource);
        }

        var skipped = 0;
        if (options.SkipCompliantFor > TimeSpan.Zero)
        {
            var fresh = await FreshCompliantAsync(startedAt - options.SkipCompliantFor, cancellationToken).ConfigureAwait(false);
            skipped = resources.RemoveAll(r => fresh.Contains(r.Id.Value));
        }

        var chunks = ScanOrder.Interleave(resources).Chunk(options.BatchSize).ToList();
        var batches = chunks.Select((chunk, index) => new ScanBatch(scanId, index, chunks.Count, chunk)).ToList();
        var reportErrors = errors.Select(e => new ReportError(e.Scope, e.Message)).ToList();
        await _ledger.SaveScanAsync(new ScanRecord(scanId, startedAt, null, ComplianceReportBuilder.Summarize([]), 0, 0, reportErrors, null), cancellationToken).ConfigureAwait(false);
        ScanLog.ScanPlanned(_logger, scanId, resources.Count, batches.Count, skipped, reportErrors.Count);

        if (batches.Count == 0)
        {
            // Nothing to fan out: the scan is complete now.
            var summary = await StoredSummary.RefreshAsync(_verdicts, _ledger, scanId, _timeProvider, cancellationToken).ConfigureAwait(false);
            var finished = new ScanRecord(scanId, startedAt, _timeProvider.GetUtcNow(), summary, 0, 0, reportErrors, null);
            await _ledger.TryFinishScanAsync(WithDigest(finished), cancellationToken).ConfigureAwait(false);
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

    internal ScanRecord WithDigest(ScanRecord finished) =>
        _sinks.Count == 0 ? finished : finished with { Digest = new PendingNotification(NotificationPolicy.Digest(finished), _sinks) };
}
