using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>
/// Runs a pending re-check (<see cref="ResourceRecheck"/>): gives the resource's pending mark back first, so an event
/// during the check schedules another, then reads the resource from ARM. When it exists, it is judged and its verdict
/// stored and notified as a scan would; only when ARM answers 404 is its verdict (and its pending notifications)
/// removed. Any other failure throws, so the platform retries, and nothing is removed on it.
/// </summary>
public sealed class ResourceRechecker
{
    private readonly IResourceInventory _inventory;
    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly IVerdictStore _verdicts;
    private readonly ILeaseStore _leases;
    private readonly ILogger<ResourceRechecker> _logger;

    /// <summary>Creates a re-checker.</summary>
    public ResourceRechecker(
        IResourceInventory inventory,
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        IVerdictStore verdicts,
        ILeaseStore leases,
        ILogger<ResourceRechecker> logger)
    {
        _inventory = inventory ?? throw new ArgumentNullException(nameof(inventory));
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Re-checks the resource of <paramref name="recheck"/>; what it did.</summary>
    public async Task<ResourceChangeOutcome> RecheckAsync(ResourceRecheck recheck, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recheck);

        // Only our version of the mark: one taken again after it ran out belongs to a newer re-check.
        await _leases.ReleaseLeaseAsync(new StoreLease(ResourceRecheck.LeaseName(recheck.ResourceId), recheck.Lease, recheck.LeaseExpiresAt), cancellationToken).ConfigureAwait(false);

        var id = new ResourceId(recheck.ResourceId);

        // Null only when ARM answers 404: the resource is gone, whatever the event claimed.
        var resource = await _inventory.GetResourceAsync(id, cancellationToken).ConfigureAwait(false);
        if (resource is null)
        {
            await _verdicts.DeleteStateAsync(id.Value, cancellationToken).ConfigureAwait(false);
            ScanLog.Rechecked(_logger, recheck.ResourceId, "gone (404): its verdict is removed");
            return new ResourceChangeOutcome(ResourceChangeDecision.Remove, "ARM answered 404", false, null);
        }

        var assessment = await _scanner.JudgeAsync(resource, cancellationToken).ConfigureAwait(false);
        await _recorder.RecordAsync([assessment], $"event-{recheck.EventId}", cancellationToken).ConfigureAwait(false);
        await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        ScanLog.Rechecked(_logger, recheck.ResourceId, assessment.Status.ToString());
        return new ResourceChangeOutcome(ResourceChangeDecision.Recheck, "the resource exists", false, assessment);
    }
}
