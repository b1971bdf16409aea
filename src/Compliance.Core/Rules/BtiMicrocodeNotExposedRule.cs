namespace Compliance.Core.Rules;

/// <summary>
/// <c>BTI_MICROCODE_NOT_EXPOSED</c>: the branch target injection microcode (IBRS/IBPB) is not visible in the VM.
/// Windows: class 201 reports BTI disabled for lack of hardware support (<c>0x04</c>), or enumerates neither
/// IA32_SPEC_CTRL (<c>0x08</c>) nor IA32_PRED_CMD (<c>0x10</c>). Linux: <c>spectre_v2</c> says the kernel is protected
/// by retpoline but lacks the microcode (RHEL's "Vulnerable: Retpoline without IBPB", "Vulnerable: Retpoline on
/// Skylake+"). The Azure hypervisor does not expose it to VMs by design; tools that call Azure unpatched because of it
/// are wrong. Information, never non-compliance.
/// </summary>
public sealed class BtiMicrocodeNotExposedRule : IComplianceRule
{
    private const string Explanation =
        "This is by design: the Azure hypervisor does not expose it to VMs, and it does not mean Azure is unpatched";

    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is { SpeculationControl: { IsOk: true } query } && WindowsMitigations.BtiMicrocodeNotExposed(query))
        {
            yield return new Finding(
                FindingCode.BtiMicrocodeNotExposed,
                Severity.Info,
                $"Branch Target Injection microcode support (IBRS/IBPB) is not visible inside this VM. {Explanation} ({Guidance.Azure}). No action.",
                Evidence.Of(("speculationControl", Evidence.Query(query, includeSecondWord: true))));
        }
        else if (LinuxFindings.Of(context) is { NeedsHost: [var finding, ..] })
        {
            yield return new Finding(
                FindingCode.BtiMicrocodeNotExposed,
                Severity.Info,
                $"The kernel protects itself with retpoline, but the Branch Target Injection microcode (IBRS/IBPB) is not visible inside this VM ({finding.Describe()}). " +
                $"{Explanation} ({Guidance.Azure}). No action.",
                Evidence.Of(("reading", finding.Evidence())));
        }
    }
}
