using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>What the store keeps about one scan.</summary>
/// <param name="ScanId">The scan id.</param>
/// <param name="StartedAt">When it started.</param>
/// <param name="CompletedAt">When it ended; <c>null</c> while it runs or when it died.</param>
/// <param name="Summary">The counts of the resources it judged.</param>
/// <param name="Recorded">Verdicts it stored.</param>
/// <param name="Stale">Verdicts it did not store because a newer one was already there.</param>
/// <param name="Errors">Parts of the scan that failed as a whole.</param>
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
    /// <summary>How long the scan took, once it completed.</summary>
    public TimeSpan? Duration => CompletedAt - StartedAt;
}
