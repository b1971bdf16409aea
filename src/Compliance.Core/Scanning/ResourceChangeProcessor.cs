using Compliance.Core.Inventory;
using Compliance.Core.Queues;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Handles one resource event. An event is a claim, not a fact: anyone who can write to the queue can forge one, so it
/// only schedules a re-check of the resource it names (<see cref="ResourceRechecker"/>), which asks ARM what is true.
/// At most one re-check per resource is pending (<see cref="RecheckScheduler"/>): the first event of a burst schedules
/// it, visible after <see cref="ResourceChangeQueueOptions.RecheckDelay"/>; the others add nothing. Each event id is
/// handled once: a redelivery changes nothing. The id is remembered after the work, so a failure lets the platform's
/// retry do it again. Every event is counted (<see cref="ResourceChangeCounters"/>), the ignored ones with why.
/// </summary>
public sealed class ResourceChangeProcessor
{
    private readonly IEventInbox _inbox;
    private readonly RecheckScheduler _scheduler;
    private readonly IAppIdentity _appIdentity;
    private readonly ResourceChangeCounters _counters;
    private readonly IOptions<ScanOptions> _options;
    private readonly IOptions<ResourceChangeQueueOptions> _queueOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResourceChangeProcessor> _logger;

    /// <summary>Creates a processor.</summary>
    public ResourceChangeProcessor(
        IEventInbox inbox,
        RecheckScheduler scheduler,
        IAppIdentity appIdentity,
        ResourceChangeCounters counters,
        IOptions<ScanOptions> options,
        IOptions<ResourceChangeQueueOptions> queueOptions,
        TimeProvider timeProvider,
        ILogger<ResourceChangeProcessor> logger)
    {
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _appIdentity = appIdentity ?? throw new ArgumentNullException(nameof(appIdentity));
        _counters = counters ?? throw new ArgumentNullException(nameof(counters));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _queueOptions = queueOptions ?? throw new ArgumentNullException(nameof(queueOptions));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Handles <paramref name="change"/>: schedules a re-check of its resource unless one is pending.</summary>
    public async Task<ResourceChangeOutcome> ProcessAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);

        // Only a Run Command event needs to know who we are; asking costs a token at most once.
        var ownPrincipalId = change.OperationName?.EndsWith("/runCommand/action", StringComparison.OrdinalIgnoreCase) == true
            ? await _appIdentity.GetPrincipalIdAsync(cancellationToken).ConfigureAwait(false)
            : null;
        var result = ResourceChangeRules.Decide(change, _options.Value.SubscriptionIds, ownPrincipalId);
        if (result.Decision == ResourceChangeDecision.Ignore || result.Target is not { } target)
        {
            _counters.Add(result);
            ScanLog.EventIgnored(_logger, change.EventId, change.EventType, result.Reason);
            return new ResourceChangeOutcome(ResourceChangeDecision.Ignore, result.Reason, false, null);
        }

        if (await _inbox.IsEventHandledAsync(change.EventId, cancellationToken).ConfigureAwait(false))
        {
            ScanLog.EventDuplicate(_logger, change.EventId);
            return new ResourceChangeOutcome(result.Decision, result.Reason, true, null) { Target = target };
        }

        var scheduled = await _scheduler.TryScheduleAsync(target, change.EventId, _queueOptions.Value.RecheckDelay, 0, cancellationToken).ConfigureAwait(false);
        await _inbox.MarkEventHandledAsync(change.EventId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _counters.Add(result);
        ScanLog.EventHandled(_logger, change.EventId, result.Decision.ToString(), target);
        return new ResourceChangeOutcome(result.Decision, result.Reason, false, null) { Coalesced = !scheduled, Target = target };
    }
}
