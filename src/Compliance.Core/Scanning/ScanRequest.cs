namespace Compliance.Core.Scanning;

/// <summary>What to scan.</summary>
/// <param name="SubscriptionIds">The subscriptions; empty means every subscription the identity can read.</param>
public sealed record ScanRequest(IReadOnlyList<string> SubscriptionIds)
{
    /// <summary>Every subscription the identity can read.</summary>
    public static ScanRequest AllSubscriptions { get; } = new([]);

    /// <summary>The scan's id when the caller chose it (to record verdicts under it while the scan runs); otherwise one is made.</summary>
    public string? ScanId { get; init; }
}
