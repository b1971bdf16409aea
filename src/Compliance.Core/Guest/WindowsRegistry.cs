namespace Compliance.Core.Guest;

/// <summary>
/// The registry values the guidance names; each is <c>null</c> when the value does not exist.
/// </summary>
/// <param name="FeatureSettingsOverride"><c>HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management</c> (KB4072698).</param>
/// <param name="FeatureSettingsOverrideMask">Same key; tells the kernel which override bits are authoritative.</param>
/// <param name="MinVmVersionForCpuBasedMitigations">Hyper-V hosts: <c>HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization</c>.</param>
/// <param name="QualityCompat">The antivirus compatibility value <c>cadca5fe-87d3-4b96-b7fb-a231484277cc</c> under <c>…\CurrentVersion\QualityCompat</c>.</param>
public sealed record WindowsRegistry(
    uint? FeatureSettingsOverride,
    uint? FeatureSettingsOverrideMask,
    string? MinVmVersionForCpuBasedMitigations,
    uint? QualityCompat)
{
    /// <summary>A registry in which none of the values exist.</summary>
    public static WindowsRegistry Empty { get; } = new(null, null, null, null);
}
