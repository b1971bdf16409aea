using System.Text.Json.Serialization;

namespace Compliance.Core.Exemptions;

/// <summary>
/// An accepted exception for the actions, or finding codes, of the resources in a scope, modelled on Azure Policy's
/// exemptions. A resource whose every action is covered by an unexpired exemption is <c>Exempt</c>
/// (<see cref="ExemptionCoverage"/>).
/// </summary>
/// <param name="Id">The id (<see cref="ExemptionRules.IsValidId"/>); case-sensitive.</param>
/// <param name="Scope">An ARM id: a subscription, a resource group or a resource, in the form <see cref="ExemptionScope.Normalize"/> gives.</param>
/// <param name="Category"><c>Waiver</c> or <c>Mitigated</c>.</param>
/// <param name="Actions">The actions it covers (<c>GuestUpdate</c>, <c>KvaShadowing</c>, <c>MitigationSettings</c>).</param>
/// <param name="FindingCodes">The finding codes it covers: an action is covered when every finding that calls for it is.</param>
/// <param name="ExpiresOn">When it stops covering; <see langword="null"/>: never.</param>
/// <param name="Justification">Why.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="CreatedAt">When it was made.</param>
/// <param name="UpdatedBy">Who changed it last.</param>
/// <param name="UpdatedAt">When it was changed last.</param>
public sealed record Exemption(
    string Id,
    string Scope,
    ExemptionCategory Category,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> FindingCodes,
    DateTimeOffset? ExpiresOn,
    string Justification,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The <see cref="ExpiresOn"/> value the <c>Compliance.ExemptionExpiring</c> notice was queued for, if any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiringNotifiedFor { get; init; }

    /// <summary>The <see cref="ExpiresOn"/> value whose expiry was recorded (history entry written, scope re-applied), if any.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiryRecordedFor { get; init; }

    /// <summary>Whether it covers at <paramref name="now"/>.</summary>
    public bool IsActiveAt(DateTimeOffset now) => ExpiresOn is not { } expires || expires > now;
}
