using Compliance.Core.Exemptions;

namespace Compliance.Server.Api;

/// <summary>The answer of <c>GET /api/exemptions/{id}</c>: the exemption and its history, newest first.</summary>
/// <param name="Exemption">The exemption, with its state and the number of resources it makes <c>Exempt</c>.</param>
/// <param name="History">Its changes.</param>
public sealed record ExemptionDetail(ExemptionView Exemption, IReadOnlyList<ExemptionHistoryView> History);
