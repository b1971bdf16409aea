using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Decides whether a scan may start, for every host and instance at once: one scan runs at a time, at most
/// <see cref="ScanOptions.MaxStartsPerHour"/> start on request in any hour, and a request names only subscriptions
/// inside the scope. One run of Compliance costs a Run Command per machine, as SYSTEM or root, and ARM write requests
/// the subscription's own deployments need too, so whoever may start scans must not be able to start them without end.
/// The decision and the opening of the scan's record happen under one store lease, so two requests that race on two
/// instances still get one scan; the opened record (running, not planned yet) is what later requests find.
/// </summary>
public sealed class ScanStartGate
{
    /// <summary>The lease the decision is taken under.</summary>
    public const string LeaseName = "scan-start";

    // The lease covers a few reads and one write; should its holder die, the next request waits this long at most.
    private static readonly TimeSpan _leaseTime = TimeSpan.FromMinutes(1);

    // A request that finds the lease taken looks for the scan being opened this often, and for this long.
    private static readonly TimeSpan _busyPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan _busyWait = TimeSpan.FromSeconds(10);

    // A scan still open after this long no longer keeps others from starting (recovery ends it when nothing is in flight).
    private static readonly TimeSpan _runningHorizon = TimeSpan.FromDays(1);
    private static readonly TimeSpan _hour = TimeSpan.FromHours(1);

    private readonly IScanLedger _ledger;
    private readonly ILeaseStore _leases;
    private readonly IResourceInventory _inventory;
    private readonly ScanRecovery _recovery;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanStartGate> _logger;

    /// <summary>Creates the gate.</summary>
    public ScanStartGate(
        IScanLedger ledger,
        ILeaseStore leases,
        IResourceInventory inventory,
        ScanRecovery recovery,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<ScanStartGate> logger)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _recovery = recovery ?? throw new ArgumentNullException(nameof(recovery));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Admits <paramref name="request"/> and opens its scan's record, or says why not. A request
    /// (<see cref="ScanRequest.Requested"/>) is checked against the scope and the hourly bound; the schedule's scans only
    /// against the running one.
    /// </summary>
    public async Task<ScanAdmission> AdmitAsync(ScanRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Requested && request.SubscriptionIds.Count > 0)
        {
            var outside = await OutsideScopeAsync(request.SubscriptionIds, cancellationToken).ConfigureAwait(false);
            if (outside.Count > 0)
            {
                ScanLog.StartOutOfScope(_logger, outside.Count);
                return new ScanAdmission(ScanAdmissionKind.OutOfScope, request) { OutOfScope = outside };
            }
        }

        var giveUpAt = _timeProvider.GetUtcNow() + _busyWait;
        while (true)
        {
            var now = _timeProvider.GetUtcNow();
            var lease = await _leases.TryAcquireLeaseAsync(LeaseName, now, now + _leaseTime, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                // Another request is deciding: its scan's record appears in a moment, or the lease comes free.
                var (running, _) = await LookAsync(now, cancellationToken).ConfigureAwait(false);
                if (running is not null || _timeProvider.GetUtcNow() >= giveUpAt)
                {
                    return Refused(running?.ScanId);
                }

                await Task.Delay(_busyPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                return await DecideAsync(request, now, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // Given back even when the caller gave up: the decision is made or it is not.
                await _leases.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            }
        }

        ScanAdmission Refused(string? runningScanId)
        {
            ScanLog.StartRefusedRunning(_logger, runningScanId ?? "(being started)");
            return new ScanAdmission(ScanAdmissionKind.Running, request) { RunningScanId = runningScanId };
        }
    }

    private async Task<ScanAdmission> DecideAsync(ScanRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (running, starts) = await LookAsync(now, cancellationToken).ConfigureAwait(false);
        if (running is not null)
        {
            // It may be a scan whose process died: recovery ends those with nothing in flight (here, or on another
            // instance at the same moment), so it cannot block for ever.
            await _recovery.RecoverAsync(cancellationToken).ConfigureAwait(false);
            (running, starts) = await LookAsync(now, cancellationToken).ConfigureAwait(false);

            if (running is not null)
            {
                ScanLog.StartRefusedRunning(_logger, running.ScanId);
                return new ScanAdmission(ScanAdmissionKind.Running, request) { RunningScanId = running.ScanId };
            }
        }

        var limit = _options.Value.MaxStartsPerHour;
        if (request.Requested && starts.Count >= limit)
        {
            // The oldest start of the hour frees a place when it is an hour old.
            var retryAt = starts.Min() + _hour;
            ScanLog.StartRefusedTooMany(_logger, starts.Count, limit, retryAt);
            return new ScanAdmission(ScanAdmissionKind.TooManyStarts, request) { RetryAt = retryAt };
        }

        var scanId = request.ScanId ?? ScanId.Create(now);
        var opened = new ScanRecord(scanId, now, null, ComplianceReportBuilder.Summarize([]), 0, 0, [], null) { Requested = request.Requested };
        await _ledger.SaveScanAsync(opened, cancellationToken).ConfigureAwait(false);
        return new ScanAdmission(ScanAdmissionKind.Admitted, request with { ScanId = scanId, StartedAt = now });
    }

    // The newest scan still running, and when the scans started on request in the last hour started.
    private async Task<(ScanRecord? Running, List<DateTimeOffset> Starts)> LookAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ScanRecord? running = null;
        var starts = new List<DateTimeOffset>();
        await foreach (var scan in _ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            // Newest first: older ones neither run nor count.
            if (scan.StartedAt < now - _runningHorizon)
            {
                break;
            }

            if (scan.CompletedAt is null)
            {
                running ??= scan;
            }

            if (scan.Requested && scan.StartedAt > now - _hour)
            {
                starts.Add(scan.StartedAt);
            }
        }

        return (running, starts);
    }

    // The scope is the configured subscriptions, or, when none are, those the identity can read.
    private async Task<List<string>> OutsideScopeAsync(IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var scope = new HashSet<Guid>();
        var configured = _options.Value.SubscriptionIds;
        if (configured.Count > 0)
        {
            foreach (var id in configured)
            {
                if (Guid.TryParse(id, out var guid))
                {
                    scope.Add(guid);
                }
            }
        }
        else
        {
            await foreach (var subscription in _inventory.GetSubscriptionsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Guid.TryParse(subscription.SubscriptionId, out var guid))
                {
                    scope.Add(guid);
                }
            }
        }

        // Only what parses as a subscription id is in scope; the answer names each in its canonical form.
        return [.. requested
            .Where(id => !Guid.TryParse(id, out var guid) || !scope.Contains(guid))
            .Select(id => Guid.TryParse(id, out var guid) ? guid.ToString() : "(not a subscription id)")
            .Distinct(StringComparer.Ordinal)];
    }
}
