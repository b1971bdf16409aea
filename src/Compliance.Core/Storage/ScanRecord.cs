using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>What the store keeps about one scan.</summary>
/// <param name="ScanId">The scan id.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended; <c>null</c> while it runs or when it died.</param>
/// <param name="Summary">The counts of the resources it judged.</param>
/// <param name="Recorded">Verdicts it stored.</param>
/// <param name="Stale">Verdicts it did not store because a newer one was already there.</param>
/// <param name="Errors">Parts of the scan that failed as a whole, and resources it judged but could not store; bounded (<see cref="ScanErrors"/>).</param>
/// <param name="Digest">The <c>ScanCompleted</c> notification while a sink has not accepted it.</param>
public sealed record ScanRecord(
    string ScanId,
    DateTimeOffset StartedAt,
    DateTimeOffset? CompletedAt,
    ReportSummary Summary,
    int Recorded,
    int Stale,
    IReadOnlyList<ReportError> Errors,
    PendingNotification? Digest)
{
    private readonly int? _errorCount;

    /// <summary>How long the scan took, once it completed.</summary>
    public TimeSpan? Duration => CompletedAt - StartedAt;

    /// <summary>How many batches the scan was planned in; 0 for a scan recorded before batches were counted.</summary>
    public int Batches { get; init; }

    /// <summary>When the scan's batches were planned (its inventory listed), just before they were sent.</summary>
    public DateTimeOffset? PlannedAt { get; init; }

    /// <summary>
    /// Whether the scan was started on request (<c>POST /api/scans</c>) rather than by the schedule: the requested ones
    /// count against <c>Compliance:Scan:MaxStartsPerHour</c>.
    /// </summary>
    public bool Requested { get; init; }

    /// <summary>
    /// Batches that never completed: given up after their last delivery, or lost. Their resources keep the verdicts they
    /// had before the scan.
    /// </summary>
    public int AbandonedBatches { get; init; }

    /// <summary>How many errors the scan had; <see cref="Errors"/> holds the first <see cref="ScanErrors.MaxKept"/> of them.</summary>
    public int ErrorCount
    {
        get => _errorCount ?? Errors.Count;
        init => _errorCount = value;
    }

    /// <summary>Where the scan stands.</summary>
    public ScanStatus Status => CompletedAt is null
        ? ScanStatus.Running
        : AbandonedBatches > 0 ? ScanStatus.Incomplete : ScanStatus.Completed;
}
