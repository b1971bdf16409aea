using Compliance.Core.Queues;
using Compliance.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>
/// Puts a re-check of one resource on the re-check queue unless one is pending: the resource's pending mark (a store
/// lease, <see cref="ResourceRecheck.LeaseName"/>) is taken first, and whoever finds it taken adds nothing. What an
/// event, a scale set's fan-out and a settling retry share, so that all of them together cost one check per resource.
/// </summary>
public sealed class RecheckScheduler
{
    // How long a pending mark outlives its delay, should its re-check message never be taken (a lost send, a backlog).
    private static readonly TimeSpan _pendingGrace = TimeSpan.FromMinutes(15);

    private readonly ILeaseStore _leases;
    private readonly IScanBatchQueue _rechecks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RecheckScheduler> _logger;

    /// <summary>Creates a scheduler.</summary>
    public RecheckScheduler(
        ILeaseStore leases,
        [FromKeyedServices(ResourceChangeQueueOptions.RecheckServiceKey)] IScanBatchQueue rechecks,
        TimeProvider timeProvider,
        ILogger<RecheckScheduler> logger)
    {
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _rechecks = rechecks ?? throw new ArgumentNullException(nameof(rechecks));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Schedules a re-check of <paramref name="resourceId"/> in <paramref name="delay"/>; <see langword="false"/> when one
    /// was pending already (then nothing is added).
    /// </summary>
    /// <param name="resourceId">A machine, scale set or Cloud Service.</param>
    /// <param name="eventId">The event it comes from, for logs.</param>
    /// <param name="delay">How long the message stays hidden.</param>
    /// <param name="attempt">Which settling try this is: 0 for an event's first.</param>
    /// <param name="cancellationToken">Cancels the scheduling.</param>
    public async Task<bool> TryScheduleAsync(string resourceId, string eventId, TimeSpan delay, int attempt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resourceId);
        ArgumentNullException.ThrowIfNull(eventId);
        var now = _timeProvider.GetUtcNow();
        var lease = await _leases.TryAcquireLeaseAsync(ResourceRecheck.LeaseName(resourceId), now, now + delay + _pendingGrace, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            ScanLog.RecheckCoalesced(_logger, eventId, resourceId);
            return false;
        }

        try
        {
            var recheck = new ResourceRecheck(resourceId, lease.ETag, lease.ExpiresAt, eventId) { Attempt = attempt, Requested = now };
            await _rechecks.SendAsync(recheck.Serialize(), delay, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No message, no mark: the caller's retry schedules it again instead of leaving the resource unchecked.
            await _leases.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        ScanLog.RecheckScheduled(_logger, eventId, resourceId, delay);
        return true;
    }
}
