namespace Compliance.Core.Rules;

/// <summary>
/// <c>HYPERV_MIN_VM_VERSION_MISSING</c>: a Windows machine with the Hyper-V role (a nested virtualization host) does
/// not have <c>MinVmVersionForCpuBasedMitigations</c> = <c>1.0</c> under
/// <c>HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization</c>, so its VMs do not get the CPU-based
/// mitigations (the guidance's step for nested virtualization, and KB4072698). High, <c>MitigationSettings</c>.
/// </summary>
public sealed class HyperVMinVmVersionMissingRule : IComplianceRule
{
    /// <summary>The value the guidance asks for.</summary>
    public const string RequiredValue = "1.0";

    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { } windows
            || !WindowsMitigations.IsHyperVHost(windows)
            || string.Equals(windows.Registry.MinVmVersionForCpuBasedMitigations?.Trim(), RequiredValue, StringComparison.Ordinal))
        {
            yield break;
        }

        var current = windows.Registry.MinVmVersionForCpuBasedMitigations is { } value ? $"is \"{value}\"" : "does not exist";
        yield return new Finding(
            FindingCode.HyperVMinVmVersionMissing,
            Severity.High,
            $"This Windows machine is a Hyper-V (nested virtualization) host, and the value MinVmVersionForCpuBasedMitigations {current}: its VMs do not get " +
            $"the CPU-based mitigations. Set it as the {Guidance.Azure} and KB4072698 describe: {Guidance.HyperVMinVmVersion}, then shut the VMs down fully and restart them.",
            Evidence.Of(
                ("minVmVersionForCpuBasedMitigations", windows.Registry.MinVmVersionForCpuBasedMitigations),
                ("features", windows.Features.ToArray()),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            RemediationAction.MitigationSettings);
    }
}
