namespace Compliance.Core.Rules;

/// <summary>
/// <c>MITIGATION_DISABLED</c>: a January 2018 mitigation the Linux kernel has is turned off or weakened by a setting:
/// the first clause of <c>meltdown</c>, <c>spectre_v1</c> or <c>spectre_v2</c> says the issue is not mitigated, and
/// the reported boot parameters lead there (<c>nopti</c>, <c>nospectre_v2</c>, <c>mitigations=off</c>, ...), or only a
/// setting can (unprivileged eBPF with eIBRS, an LFENCE mode chosen on the command line). High,
/// <c>MitigationSettings</c>: the remedy is the setting, not a kernel update.
/// </summary>
public sealed class MitigationDisabledRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LinuxFindings.Of(context) is not { NeedsSetting.Count: > 0 } findings)
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.MitigationDisabled,
            Severity.High,
            "A setting turns off the kernel's January 2018 speculative-execution mitigation: " +
            string.Join("; ", findings.NeedsSetting.Select(f => $"{f.Describe()}: {f.Remedy.Describe()}")) +
            $". The kernel has the mitigation, so no update is needed: change the setting ({Guidance.Azure}).",
            Evidence.Of(
                ("readings", findings.NeedsSetting.Select(f => f.Evidence()).ToArray()),
                ("settings", findings.Settings())),
            RemediationAction.MitigationSettings);
    }
}
