using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>
/// What the store keeps about one resource: the current verdict and, written atomically with it, what depends on it:
/// the last known verdict beside an Unknown one, the actions already notified, the history entries not yet known to be
/// written, and the notifications not yet delivered (the outbox).
/// </summary>
/// <param name="Verdict">The current verdict, in the report format.</param>
/// <param name="ScanId">The scan or event that produced it.</param>
/// <param name="LastKnown">When <paramref name="Verdict"/> is Unknown: the last verdict in which the resource was checked.</param>
/// <param name="OpenActions">Actions notified as required and not resolved since.</param>
/// <param name="PendingHistory">History entries of recent changes, read as part of the history; written to it again (idempotently) until a later write or a sweep drops them.</param>
/// <param name="Outbox">Notifications some sink has not accepted yet.</param>
public sealed record ResourceState(
    ReportResource Verdict,
    string ScanId,
    ReportResource? LastKnown,
    IReadOnlyList<OpenAction> OpenActions,
    IReadOnlyList<HistoryEntry> PendingHistory,
    IReadOnlyList<PendingNotification> Outbox)
{
    /// <summary>The resource id.</summary>
    public string ResourceId => Verdict.Id;

    /// <summary>When the current verdict was reached.</summary>
    public DateTimeOffset CheckedAt => Verdict.CheckedAt;

    /// <summary>The verdict as a report shows the stored state: with the last known verdict beside an Unknown one.</summary>
    public ReportResource ToReportResource() =>
        LastKnown is null ? Verdict : Verdict with { LastKnown = ReportLastKnown.Of(LastKnown) };

    /// <summary>
    /// The verdict as a read at <paramref name="now"/> shows it: as <see cref="ToReportResource()"/>, and an <c>Exempt</c>
    /// one whose exemption has expired meanwhile with its underlying status (the sweep re-applies it shortly).
    /// </summary>
    public ReportResource ToReportResource(DateTimeOffset now) => Exemptions.ExemptionCoverage.AsOf(ToReportResource(), now);
}
