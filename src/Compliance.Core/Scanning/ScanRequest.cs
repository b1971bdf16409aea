namespace Compliance.Core.Scanning;

/// <summary>What to scan.</summary>
/// <param name="SubscriptionIds">The subscriptions; empty means every subscription the identity can read.</param>
public sealed record ScanRequest(IReadOnlyList<string> SubscriptionIds)
{
    /// <summary>Every subscription the identity can read.</summary>
    public static ScanRequest AllSubscriptions { get; } = new([]);

    /// <summary>The scan's id when the caller chose it (to record verdicts under it while the scan runs); otherwise one is made.</summary>
    public string? ScanId { get; init; }

    /// <summary>When the scan started, when its record was opened before planning (<see cref="ScanStartGate"/>); otherwise the planner's clock.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>Whether an operator's request started it (not the schedule): see <see cref="Storage.ScanRecord.Requested"/>.</summary>
    public bool Requested { get; init; }
}
