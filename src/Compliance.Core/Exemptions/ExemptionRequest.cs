namespace Compliance.Core.Exemptions;

/// <summary>What a caller asks for when making or replacing an exemption (the body of <c>PUT /api/exemptions/{id}</c>).</summary>
/// <param name="Scope">The scope (<see cref="ExemptionScope"/>).</param>
/// <param name="Category"><c>Waiver</c> or <c>Mitigated</c>.</param>
/// <param name="Actions">The actions covered.</param>
/// <param name="FindingCodes">The finding codes covered.</param>
/// <param name="ExpiresOn">When it expires; must lie in the future.</param>
/// <param name="Justification">Why.</param>
public sealed record ExemptionRequest(
    string? Scope,
    string? Category,
    IReadOnlyList<string>? Actions,
    IReadOnlyList<string>? FindingCodes,
    DateTimeOffset? ExpiresOn,
    string? Justification);
