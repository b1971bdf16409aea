namespace Compliance.Core.Exemptions;

/// <summary>One change of an exemption; with the id, <see cref="At"/> and <see cref="Change"/> are its identity.</summary>
/// <param name="ExemptionId">The exemption.</param>
/// <param name="At">When.</param>
/// <param name="Change">What happened.</param>
/// <param name="By">Who did it (<c>system</c> for an expiry).</param>
/// <param name="Exemption">The exemption as it was after the change (before it, for a removal).</param>
public sealed record ExemptionHistoryEntry(string ExemptionId, DateTimeOffset At, ExemptionChange Change, string By, Exemption Exemption);
