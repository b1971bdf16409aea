namespace Compliance.Core.Storage;

/// <summary>One change of a resource's status or actions.</summary>
/// <param name="ResourceId">The resource.</param>
/// <param name="At">When the new verdict was reached (its <c>checkedAt</c>); with the resource, the entry's identity.</param>
/// <param name="ScanId">The scan or event that reached it.</param>
/// <param name="FromStatus">The previous status, or <c>null</c> for the first verdict.</param>
/// <param name="ToStatus">The new status.</param>
/// <param name="FromActions">The previous actions.</param>
/// <param name="ToActions">The new actions.</param>
/// <param name="FindingCodes">The new verdict's finding codes.</param>
public sealed record HistoryEntry(
    string ResourceId,
    DateTimeOffset At,
    string ScanId,
    string? FromStatus,
    string ToStatus,
    IReadOnlyList<string> FromActions,
    IReadOnlyList<string> ToActions,
    IReadOnlyList<string> FindingCodes);
