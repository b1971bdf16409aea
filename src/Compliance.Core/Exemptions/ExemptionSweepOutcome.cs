namespace Compliance.Core.Exemptions;

/// <summary>What a sweep did.</summary>
/// <param name="Expired">Exemptions whose expiry it recorded.</param>
/// <param name="Expiring">Expiring notices it queued.</param>
/// <param name="StatesChanged">Resource states whose status or exemption it changed.</param>
public sealed record ExemptionSweepOutcome(int Expired, int Expiring, int StatesChanged);
