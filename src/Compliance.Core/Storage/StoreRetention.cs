using Compliance.Core.Scanning;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Storage;

/// <summary>
/// Removes the bookkeeping rows older than <see cref="ScanOptions.Retention"/> (handled events, batch results, leases
/// long expired), so that they do not grow for ever; verdicts, their history and the scans are kept. The scheduled scan
/// runs it.
/// </summary>
public sealed class StoreRetention
{
    private readonly IEventInbox _inbox;
    private readonly IScanLedger _ledger;
    private readonly ILeaseStore _leases;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<StoreRetention> _logger;

    /// <summary>Creates the retention.</summary>
    public StoreRetention(IEventInbox inbox, IScanLedger ledger, ILeaseStore leases, IOptions<ScanOptions> options, TimeProvider timeProvider, ILogger<StoreRetention> logger)
    {
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Removes what is older than the retention period; how many rows of each kind went.</summary>
    public async Task<(int Events, int Batches, int Leases)> PruneAsync(CancellationToken cancellationToken)
    {
        var cutoff = _timeProvider.GetUtcNow() - _options.Value.Retention;
        var events = await _inbox.PruneAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var batches = await _ledger.PruneBatchResultsAsync(cutoff, cancellationToken).ConfigureAwait(false);
        var leases = await _leases.PruneAsync(cutoff, cancellationToken).ConfigureAwait(false);
        ScanLog.Pruned(_logger, events, batches, leases, cutoff);
        return (events, batches, leases);
    }
}
