namespace Compliance.Core.Inventory;

/// <summary>A subscription the identity can read.</summary>
public sealed record SubscriptionInfo(string SubscriptionId, string? DisplayName);
