namespace Compliance.Core.Exemptions;

/// <summary>The outcome of <see cref="ExemptionService.PutAsync"/>.</summary>
/// <param name="Outcome">How it ended.</param>
/// <param name="Exemption">The exemption written, when it was.</param>
/// <param name="ETag">Its version, when written.</param>
/// <param name="Errors">The problems by field, when <see cref="ExemptionOutcome.Invalid"/>.</param>
public sealed record ExemptionPutResult(ExemptionOutcome Outcome, Exemption? Exemption, string? ETag, IReadOnlyDictionary<string, string[]>? Errors);
