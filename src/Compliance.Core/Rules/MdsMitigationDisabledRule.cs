namespace Compliance.Core.Rules;

/// <summary>
/// <c>MDS_MITIGATION_DISABLED</c>: the OS reports its MDS state (class 201 <c>0x4000000</c>), the CPU is vulnerable
/// (MDS_NO <c>0x1000000</c> clear, and not an AMD, Hygon or Arm processor) and the mitigation is not enabled
/// (<c>0x2000000</c> clear). The mitigation is off by default on Windows Server and is turned on by the registry values
/// of KB4072698. Where untrusted code runs: High, <c>MitigationSettings</c>. On a trusted Windows Server it is the
/// default and not a finding; on a trusted client edition, where it is on by default, Low without an action.
/// </summary>
public sealed class MdsMitigationDisabledRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { SpeculationControl.IsOk: true } windows
            || !windows.SpeculationControl.Has(WindowsMitigations.MbClearReported)
            || windows.SpeculationControl.Has(WindowsMitigations.MbClearEnabled)
            || !WindowsMitigations.MdsHardwareVulnerable(windows)
            || (!context.Untrusted.IsUntrusted && windows.Product?.IsWorkstation != true))
        {
            yield break;
        }

        var rating = UntrustedCodeChecklist.For(context.Untrusted, Severity.High, RemediationAction.MitigationSettings);
        yield return new Finding(
            FindingCode.MdsMitigationDisabled,
            rating.Severity,
            $"{rating.Preamble} The CPU is vulnerable to microarchitectural data sampling (MDS) and the OS has the mitigation, but it is not enabled. " +
            $"Enable it as {WindowsMitigations.GuidanceArticle(windows)} describes: {Guidance.EnableMdsWithHyperThreading} under {Guidance.MemoryManagementKey} " +
            $"({Guidance.EnableMdsWithoutHyperThreading} also turns Hyper-Threading off, which halves the logical processors), then reboot.",
            Evidence.Of(
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("registry", Evidence.Registry(windows.Registry)),
                ("cpu", Evidence.Cpu(windows.Cpu)),
                ("product", Evidence.Product(windows.Product)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            rating.Action);
    }
}
