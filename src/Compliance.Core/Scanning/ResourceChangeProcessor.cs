using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Handles one resource event: re-checks the resource it names (read fresh from ARM), or forgets a deleted one, stores
/// the verdict and delivers notifications. Each event id is handled once: a redelivery changes nothing. The id is
/// remembered after the work, so a failure lets the platform's retry do it again.
/// </summary>
public sealed class ResourceChangeProcessor
{
    private readonly IResourceInventory _inventory;
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly IVerdictStore _verdicts;
    private readonly IEventInbox _inbox;
    private readonly IOptions<ScanOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ResourceChangeProcessor> _logger;

    /// <summary>Creates a processor.</summary>
    public ResourceChangeProcessor(
        IResourceInventory inventory,
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        IVerdictStore verdicts,
        IEventInbox inbox,
        IOptions<ScanOptions> options,
        TimeProvider timeProvider,
        ILogger<ResourceChangeProcessor> logger)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _inbox = inbox ?? throw new ArgumentNullException(nameof(inbox));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Handles <paramref name="change"/>.</summary>
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

        var id = new ResourceId(change.ResourceId);
        Assessment? assessment = null;
        var resource = decision == ResourceChangeDecision.Recheck
            ? await _inventory.GetResourceAsync(id, cancellationToken).ConfigureAwait(false)
            : null;
        if (resource is null)
        {
            // Deleted, or gone by the time the write event arrived.
            await _verdicts.DeleteStateAsync(id.Value, cancellationToken).ConfigureAwait(false);
            decision = ResourceChangeDecision.Remove;
        }
        else
        {
            assessment = await _scanner.JudgeAsync(resource, cancellationToken).ConfigureAwait(false);
            await _recorder.RecordAsync([assessment], $"event-{change.EventId}", cancellationToken).ConfigureAwait(false);
            await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        }

        await _inbox.MarkEventHandledAsync(change.EventId, _timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        ScanLog.EventHandled(_logger, change.EventId, decision.ToString(), change.ResourceId);
        return new ResourceChangeOutcome(decision, reason, false, assessment);
    }
}
