using Compliance.Core.Storage;

namespace Compliance.Core.Exemptions;

/// <summary>An exemption as read from the store, with the ETag a conditional write must match.</summary>
/// <param name="Exemption">The exemption.</param>
/// <param name="ETag">Its version.</param>
/// <param name="Notice">The <c>Compliance.ExemptionExpiring</c> notification some sink has not accepted yet, if any.</param>
public sealed record StoredExemption(Exemption Exemption, string ETag, PendingNotification? Notice = null);
