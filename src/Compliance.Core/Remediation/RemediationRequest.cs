using Compliance.Core.Rules;

namespace Compliance.Core.Remediation;

/// <summary>What an operator asks a plan for.</summary>
/// <param name="Action">The action to carry out.</param>
/// <param name="Filter">Which machines.</param>
/// <param name="RebootSetting">Whether steps may restart; <see langword="null"/>: <see cref="RemediationOptions.DefaultRebootSetting"/>.</param>
/// <param name="MaximumDuration">One machine's longest change; <see langword="null"/>: <see cref="RemediationOptions.DefaultMaximumDuration"/>.</param>
/// <param name="Scripts">The scripts to use by name; empty: each machine's default scripts for its findings.</param>
public sealed record RemediationRequest(
    RemediationAction Action,
    RemediationFilter Filter,
    RebootSetting? RebootSetting = null,
    TimeSpan? MaximumDuration = null,
    IReadOnlyList<string>? Scripts = null);
