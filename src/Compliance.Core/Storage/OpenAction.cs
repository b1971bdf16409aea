namespace Compliance.Core.Storage;

/// <summary>An action a resource was notified about and that is not resolved yet.</summary>
/// <param name="Action"><c>GuestUpdate</c>, <c>KvaShadowing</c> or <c>MitigationSettings</c>.</param>
/// <param name="NotifiedAt">When the last notification (first or reminder) about it was queued.</param>
public sealed record OpenAction(string Action, DateTimeOffset NotifiedAt);
