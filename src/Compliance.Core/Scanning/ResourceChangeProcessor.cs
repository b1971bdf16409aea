using Compliance.Core.Queues;
using Compliance.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Handles one resource event. An event is a claim, not a fact: anyone who can write to the queue can forge one, so it
/// only schedules a re-check of the resource it names (<see cref="ResourceRechecker"/>), which asks ARM what is true.
/// At most one re-check per resource is pending: the first event of a burst takes the resource's pending mark (a store
/// lease) and sends a message that becomes visible after <see cref="ResourceChangeQueueOptions.RecheckDelay"/>; the
/// others find the mark taken and add nothing. Each event id is handled once: a redelivery changes nothing. The id is
/// remembered after the work, so a failure lets the platform's retry do it again.
/// </summary>
public sealed class ResourceChangeProcessor
{
    // How long a pending mark outlives its delay, should its re-check message never be taken (a lost send, a backlog).
    private static readonly TimeSpan _pendingGrace = TimeSpan.FromMinutes(15);

    private readonly IEventInbox _inbox;
    private readonly ILeaseStore _leases;
    private readonly IScanBatchQueue _rechecks;
    private readonly IOptions<ScanOptions> _options;
    private readonly IOptions<ResourceChangeQueueOptions> _queueOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResourceChangeProcessor> _logger;

    /// <summary>Creates a processor.</summary>
    public ResourceChangeProcessor(
        IEventInbox inbox,
        ILeaseStore leases,
        [FromKeyedServices(ResourceChangeQueueOptions.RecheckServiceKey)] IScanBatchQueue rechecks,
        IOptions<ScanOptions> options,
        IOptions<ResourceChangeQueueOptions> queueOptions,
        TimeProvider timeProvider,
        ILogger<ResourceChangeProcessor> logger)
    {
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _rechecks = rechecks ?? throw new ArgumentNullException(nameof(rechecks));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _queueOptions = queueOptions ?? throw new ArgumentNullException(nameof(queueOptions));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Handles <paramref name="change"/>: schedules a re-check of its resource unless one is pending.</summary>
    public async Task<ResourceChangeOutcome> ProcessAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var (decision, reason) = ResourceChangeRules.Decide(change, _options.Value.SubscriptionIds);
        if (decision == ResourceChangeDecision.Ignore)
        {
            ScanLog.EventIgnored(_logger, change.EventId, change.EventType, reason);
            return new ResourceChangeOutcome(decision, reason, false, null);
        }

        if (await _inbox.IsEventHandledAsync(change.EventId, cancellationToken).ConfigureAwait(false))
        {
            ScanLog.EventDuplicate(_logger, change.EventId);
            return new ResourceChangeOutcome(decision, reason, true, null);
        }

        var coalesced = !await ScheduleAsync(change, cancellationToken).ConfigureAwait(false);
        await _inbox.MarkEventHandledAsync(change.EventId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        ScanLog.EventHandled(_logger, change.EventId, decision.ToString(), change.ResourceId);
        return new ResourceChangeOutcome(decision, reason, false, null) { Coalesced = coalesced };
    }

    // Whether this event scheduled the re-check (false: one was pending already).
    private async Task<bool> ScheduleAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        var delay = _queueOptions.Value.RecheckDelay;
        var now = _timeProvider.GetUtcNow();
        var lease = await _leases.TryAcquireLeaseAsync(ResourceRecheck.LeaseName(change.ResourceId), now, now + delay + _pendingGrace, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            ScanLog.RecheckCoalesced(_logger, change.EventId, change.ResourceId);
            return false;
        }

        try
        {
            var recheck = new ResourceRecheck(change.ResourceId, lease.ETag, lease.ExpiresAt, change.EventId);
            await _rechecks.SendAsync(recheck.Serialize(), delay, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // No message, no mark: the event's retry schedules it again instead of leaving the resource unchecked.
            await _leases.ReleaseLeaseAsync(lease, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        ScanLog.RecheckScheduled(_logger, change.EventId, change.ResourceId, delay);
        return true;
    }
}
