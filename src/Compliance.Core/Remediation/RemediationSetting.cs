namespace Compliance.Core.Remediation;

/// <summary>One value a remediation script reports it set.</summary>
/// <param name="Name">The value's name: <c>FeatureSettingsOverride</c>, <c>FeatureSettingsOverrideMask</c>, <c>MinVmVersionForCpuBasedMitigations</c> or <c>kernel.unprivileged_bpf_disabled</c>.</param>
/// <param name="Value">What it holds now.</param>
/// <param name="Previous">What it held before; <c>null</c> when it did not exist, <c>invalid</c> when it held something that is not a value of its kind.</param>
public sealed record RemediationSetting(string Name, string Value, string? Previous);
