namespace Compliance.Core.Scanning;

/// <summary>A fanned-out scan, planned: its batches, and the parts of the inventory that failed.</summary>
public sealed record ScanPlan(string ScanId, DateTimeOffset StartedAt, IReadOnlyList<ScanBatch> Batches, IReadOnlyList<ScanError> Errors)
{
    /// <summary>Resources left out because their compliant verdict is fresh (<see cref="ScanOptions.SkipCompliantFor"/>).</summary>
    public int Skipped { get; init; }
}
