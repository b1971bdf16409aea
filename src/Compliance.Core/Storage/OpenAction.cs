using System.Text.Json.Serialization;

namespace Compliance.Core.Storage;

/// <summary>An action a resource was notified about (or is exempt from) and that is not resolved yet.</summary>
/// <param name="Action"><c>GuestUpdate</c>, <c>KvaShadowing</c> or <c>MitigationSettings</c>.</param>
/// <param name="NotifiedAt">When the last notification (first or reminder) about it was queued; for one never announced, when it was first seen.</param>
public sealed record OpenAction(string Action, DateTimeOffset NotifiedAt)
{
    /// <summary>Whether an exemption covers it now: no reminder goes out while it does.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Exempted { get; init; }

    /// <summary>The exemption that covers it, when <see cref="Exempted"/>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ExemptionId { get; init; }

    /// <summary>
    /// Whether it was never announced as required (it was exempt from the start), so that its resolution is not
    /// announced either. Stored states from before exemptions hold only announced actions: the default.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Unannounced { get; init; }
}
