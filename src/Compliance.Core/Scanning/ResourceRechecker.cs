using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Scanning;

/// <summary>
/// Runs a pending re-check (<see cref="ResourceRecheck"/>): gives the resource's pending mark back first, so an event
/// during the check schedules another, then reads the resource from ARM. When it exists, it is judged and its verdict
/// stored and notified as a scan would; only when ARM answers 404 is its verdict (and its pending notifications)
/// removed. Any other failure throws, so the platform retries, and nothing is removed on it.
/// </summary>
/// <remarks>
/// <para>
/// A machine found still settling (the VM agent not ready, or the machine starting: right after a start, restart or
/// reimage) is tried again on <see cref="ResourceChangeQueueOptions.SettleRetries"/>' schedule before such an outcome
/// is stored; until then the earlier verdict stands. A scale set stands for its instances: each one ARM lists, and each
/// one Compliance has a verdict for (so that deleted instances are removed), gets a re-check of its own through the same
/// queue, pending marks and pacing as any other. A message names a resource outside the scan's scope only when forged:
/// it is refused.
/// </para>
/// </remarks>
public sealed class ResourceRechecker
{
    private readonly IResourceInventory _inventory;
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly IVerdictStore _verdicts;
    private readonly ILeaseStore _leases;
    private readonly RecheckScheduler _scheduler;
    private readonly IOptions<ScanOptions> _options;
    private readonly IOptions<ResourceChangeQueueOptions> _queueOptions;
    private readonly ILogger<ResourceRechecker> _logger;

    /// <summary>Creates a re-checker.</summary>
    public ResourceRechecker(
        IResourceInventory inventory,
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        IVerdictStore verdicts,
        ILeaseStore leases,
        RecheckScheduler scheduler,
        IOptions<ScanOptions> options,
        IOptions<ResourceChangeQueueOptions> queueOptions,
        ILogger<ResourceRechecker> logger)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _queueOptions = queueOptions ?? throw new ArgumentNullException(nameof(queueOptions));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Re-checks the resource of <paramref name="recheck"/>; what it did.</summary>
    public async Task<ResourceChangeOutcome> RecheckAsync(ResourceRecheck recheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recheck);

        // Only our version of the mark: one taken again after it ran out belongs to a newer re-check.
        await _leases.ReleaseLeaseAsync(new StoreLease(ResourceRecheck.LeaseName(recheck.ResourceId), recheck.Lease, recheck.LeaseExpiresAt), cancellationToken).ConfigureAwait(false);

        var id = new ResourceId(recheck.ResourceId);
        var scope = _options.Value.SubscriptionIds;
        if (scope.Count > 0 && !scope.Contains(id.SubscriptionId, StringComparer.OrdinalIgnoreCase))
        {
            ScanLog.Rechecked(_logger, recheck.ResourceId, "refused: a subscription outside the scan's scope");
            return new ResourceChangeOutcome(ResourceChangeDecision.Ignore, "a subscription outside the scan's scope", false, null);
        }

        if (ResourceChangeRules.IsScaleSet(recheck.ResourceId))
        {
            return await FanOutAsync(id, recheck, cancellationToken).ConfigureAwait(false);
        }

        // Null only when ARM answers 404: the resource is gone, whatever the event claimed.
        var resource = await _inventory.GetResourceAsync(id, cancellationToken).ConfigureAwait(false);
        if (resource is null)
        {
            await _verdicts.DeleteStateAsync(id.Value, cancellationToken).ConfigureAwait(false);
            ScanLog.Rechecked(_logger, recheck.ResourceId, "gone (404): its verdict is removed");
            return new ResourceChangeOutcome(ResourceChangeDecision.Remove, "ARM answered 404", false, null);
        }

        var assessment = await _scanner.JudgeAsync(resource, cancellationToken).ConfigureAwait(false);
        var delays = _queueOptions.Value.SettleDelays();
        if (IsSettling(resource, assessment) && recheck.Attempt < delays.Count)
        {
            // Whether this try scheduled the next or a newer event's re-check is pending: either way one comes.
            await _scheduler.TryScheduleAsync(recheck.ResourceId, recheck.EventId, delays[recheck.Attempt], recheck.Attempt + 1, cancellationToken).ConfigureAwait(false);
            ScanLog.RecheckSettling(_logger, recheck.ResourceId, recheck.Attempt + 1, delays[recheck.Attempt]);
            return new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "the machine is still settling: tried again later, the verdict is kept", false, null) { Settling = true };
        }

        await _recorder.RecordAsync([assessment], $"event-{recheck.EventId}", cancellationToken).ConfigureAwait(false);
        await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        ScanLog.Rechecked(_logger, recheck.ResourceId, assessment.Status.ToString());
        return new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "the resource exists", false, assessment);
    }

    // A machine that has not finished starting: the agent is not ready (so Run Command could not run), or ARM still
    // reports it starting. Anything else, a stopped machine included, is a settled state worth storing.
    private static bool IsSettling(InventoryResource resource, Assessment assessment) =>
        (resource is Machine { PowerState: PowerState.Starting })
        || assessment.Findings.Any(f => f.Code == FindingCode.AgentUnavailable);

    private async Task<ResourceChangeOutcome> FanOutAsync(ResourceId scaleSet, ResourceRecheck recheck, CancellationToken cancellationToken)
    {
        var listed = await _inventory.GetScaleSetInstanceIdsAsync(scaleSet, cancellationToken).ConfigureAwait(false) ?? [];
        var instances = new HashSet<ResourceId>(listed);

        // Instances judged before and no longer listed were deleted (a scale-in, delete/action, the set's delete): their
        // re-check finds the 404 and removes them. Listed ones checked since the event (by an event of their own, in the
        // same burst) saw the change already.
        var instancesOfTheSet = new StateQuery { ResourceIdPrefix = scaleSet.Value + "/virtualMachines/" };
        await foreach (var stored in _verdicts.QueryStatesAsync(instancesOfTheSet, cancellationToken).ConfigureAwait(false))
        {
            var id = new ResourceId(stored.State.ResourceId);
            if (!instances.Add(id) && recheck.Requested is { } requested && stored.State.CheckedAt >= requested)
            {
                instances.Remove(id);
            }
        }

        var scheduled = 0;
        foreach (var instance in instances.Order())
        {
            if (await _scheduler.TryScheduleAsync(instance.Value, recheck.EventId, TimeSpan.Zero, 0, cancellationToken).ConfigureAwait(false))
            {
                scheduled++;
            }
        }

        ScanLog.Rechecked(_logger, recheck.ResourceId, $"scale set: {scheduled} of {instances.Count} instances scheduled");
        return new ResourceChangeOutcome(ResourceChangeDecision.RecheckScaleSet, $"{listed.Count} instances listed", false, null) { InstancesScheduled = scheduled, Target = scaleSet.Value };
    }
}
