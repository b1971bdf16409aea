using System.Text.Json.Serialization;

namespace Compliance.Core.Reporting;

/// <summary>One resource of a report.</summary>
/// <param name="Id">The ARM resource id.</param>
/// <param name="Kind"><c>VirtualMachine</c>, <c>ScaleSetInstance</c> or <c>CloudService</c>.</param>
/// <param name="Name">The resource name.</param>
/// <param name="Os"><c>Windows</c>, <c>Linux</c>, or <c>null</c> when ARM does not say (Cloud Services).</param>
/// <param name="Status"><c>Compliant</c>, <c>ActionRequired</c>, <c>Unknown</c> or <c>Exempt</c>.</param>
/// <param name="Actions">any of <c>GuestUpdate</c>, <c>KvaShadowing</c>, <c>MitigationSettings</c>.</param>
/// <param name="Findings">The findings, most severe first.</param>
/// <param name="SubscriptionId">The subscription (an addition to the fixed format).</param>
/// <param name="ResourceGroup">The resource group (an addition).</param>
/// <param name="Location">The region (an addition).</param>
/// <param name="CheckedAt">When the resource was judged (an addition).</param>
public sealed record ReportResource(
    string Id,
    string Kind,
    string Name,
    string? Os,
    string Status,
    IReadOnlyList<string> Actions,
    IReadOnlyList<ReportFinding> Findings,
    string SubscriptionId,
    string? ResourceGroup,
    string Location,
    DateTimeOffset CheckedAt)
{
    /// <summary>
    /// In a report of the stored state, beside an <c>Unknown</c> status: the last verdict in which the resource was
    /// checked (an addition to the fixed format; absent otherwise).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportLastKnown? LastKnown { get; init; }

    /// <summary>
    /// Beside an <c>Exempt</c> status: the exemption that makes it so and the underlying status (an addition to the
    /// fixed format; absent otherwise).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ReportExemption? Exemption { get; init; }
}
