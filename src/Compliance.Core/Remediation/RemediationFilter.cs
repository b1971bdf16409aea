namespace Compliance.Core.Remediation;

/// <summary>
/// Which machines a plan is for, among those whose stored verdict needs the plan's action; every filter is optional and
/// they combine with "and".
/// </summary>
/// <param name="SubscriptionId">Only this subscription.</param>
/// <param name="ResourceGroup">Only this resource group (compared case-insensitively).</param>
/// <param name="ResourceIds">Only these resources.</param>
/// <param name="Os">Only this OS (<c>Windows</c> or <c>Linux</c>).</param>
/// <param name="Finding">Only resources with this finding code.</param>
public sealed record RemediationFilter(
    string? SubscriptionId = null,
    string? ResourceGroup = null,
    IReadOnlyList<string>? ResourceIds = null,
    string? Os = null,
    string? Finding = null)
{
    /// <summary>Every machine that needs the action.</summary>
    public static RemediationFilter All { get; } = new();
}
