namespace Compliance.Core.Exemptions;

/// <summary>An exemption as the API, the command line and notifications show it.</summary>
/// <param name="Id">The id.</param>
/// <param name="Scope">The scope.</param>
/// <param name="Category"><c>Waiver</c> or <c>Mitigated</c>.</param>
/// <param name="Actions">The actions covered.</param>
/// <param name="FindingCodes">The finding codes covered.</param>
/// <param name="ExpiresOn">When it expires; <see langword="null"/>: never.</param>
/// <param name="Justification">Why.</param>
/// <param name="CreatedBy">Who made it.</param>
/// <param name="CreatedAt">When.</param>
/// <param name="UpdatedBy">Who changed it last.</param>
/// <param name="UpdatedAt">When.</param>
public sealed record ExemptionView(
    string Id,
    string Scope,
    string Category,
    IReadOnlyList<string> Actions,
    IReadOnlyList<string> FindingCodes,
    DateTimeOffset? ExpiresOn,
    string Justification,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    string UpdatedBy,
    DateTimeOffset UpdatedAt)
{
    /// <summary><c>active</c> or <c>expired</c>, when read with a time; absent in notifications.</summary>
    public string? State { get; init; }

    /// <summary>How many resources it makes <c>Exempt</c> now, when counted.</summary>
    public int? ExemptResources { get; init; }

    /// <summary>The view of <paramref name="exemption"/>.</summary>
    public static ExemptionView Of(Exemption exemption)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        return new(
            exemption.Id,
            exemption.Scope,
            exemption.Category.ToString(),
            exemption.Actions,
            exemption.FindingCodes,
            exemption.ExpiresOn,
            exemption.Justification,
            exemption.CreatedBy,
            exemption.CreatedAt,
            exemption.UpdatedBy,
            exemption.UpdatedAt);
    }

    /// <summary>The view of <paramref name="exemption"/> at <paramref name="now"/>, with its state.</summary>
    public static ExemptionView Of(Exemption exemption, DateTimeOffset now, int? exemptResources = null) =>
        Of(exemption) with { State = exemption.IsActiveAt(now) ? "active" : "expired", ExemptResources = exemptResources };
}
