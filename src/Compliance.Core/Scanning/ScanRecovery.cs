using Compliance.Core.Queues;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Ends the scans that would otherwise stay "running" for ever: when the batch queue holds no batch of any scan, a scan
/// still recorded as running can get no more batches. If all of its batches are over (its process died just before
/// finishing it) it is finished as usual; otherwise (its planner died before sending, or its batches were lost) it is
/// ended as incomplete, with what it stored. A scan planned a moment ago is left alone: its batches may be on their way.
/// Runs at start-up, before each scheduled scan, and whenever a worker finds the queue empty.
/// </summary>
public sealed class ScanRecovery
{
    /// <summary>How long after planning a scan's batches are assumed to be on their way to the queue.</summary>
    public static readonly TimeSpan SendingGrace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a scan opened before planning (<see cref="ScanStartGate"/>) may list its inventory before it counts as
    /// dead: until then its record, with no batches yet, is what tells other start requests that a scan is running.
    /// </summary>
    public static readonly TimeSpan PlanningGrace = TimeSpan.FromMinutes(15);

    private readonly IScanBatchQueue _queue;
    private readonly IScanLedger _ledger;
    private readonly ScanFinisher _finisher;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanRecovery> _logger;

    /// <summary>Creates the recovery.</summary>
    public ScanRecovery(IScanBatchQueue queue, IScanLedger ledger, ScanFinisher finisher, IOptions<ScanOptions> options, TimeProvider timeProvider, ILogger<ScanRecovery> logger)
    {
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _finisher = finisher ?? throw new ArgumentNullException(nameof(finisher));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Ends every scan left running with nothing in flight; how many it ended.</summary>
    public async Task<int> RecoverAsync(CancellationToken cancellationToken)
    {
        if (await _queue.CountAsync(cancellationToken).ConfigureAwait(false) > 0)
        {
            // Some batch is queued or running: its scan ends with it, and the others are looked at next time.
            return 0;
        }

        var now = _timeProvider.GetUtcNow();
        var oldest = now - _options.Value.Retention;
        var ended = 0;
        await foreach (var scan in _ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            // Newest first: anything older than the retention period was looked at long ago.
            if (scan.StartedAt < oldest)
            {
                break;
            }

            if (scan.CompletedAt is not null)
            {
                continue;
            }

            if (scan.PlannedAt is null && scan.Batches == 0 && scan.StartedAt > now - PlanningGrace)
            {
                // Opened, still listing its inventory: its batches do not exist yet.
                continue;
            }

            var results = await _ledger.GetBatchResultsAsync(scan.ScanId, cancellationToken).ConfigureAwait(false);
            var allOver = results.Values.Count(r => r.IsOver) >= scan.Batches;
            if (!allOver && (scan.PlannedAt ?? scan.StartedAt) > now - SendingGrace)
            {
                continue;
            }

            var end = await _finisher.EndAbandonedAsync(scan, cancellationToken).ConfigureAwait(false);
            if (end.Finished is not null)
            {
                ScanLog.ScanRecovered(_logger, scan.ScanId);
                ended++;
            }
        }

        return ended;
    }
}
