namespace Compliance.Core.Rules;

/// <summary>
/// <c>BTI_MICROCODE_NOT_EXPOSED</c>: class 201 succeeded but neither IA32_SPEC_CTRL (<c>0x08</c>) nor IA32_PRED_CMD
/// (<c>0x10</c>) is enumerated. The Azure hypervisor does not expose the branch target injection microcode to VMs by
/// design; tools that call Azure unpatched because of it are wrong. Information, never non-compliance.
/// </summary>
public sealed class BtiMicrocodeNotExposedRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { SpeculationControl: { IsOk: true } query }
            || (query.Flags & (WindowsMitigations.SpecCtrlEnumerated | WindowsMitigations.PredCmdEnumerated)) != 0)
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.BtiMicrocodeNotExposed,
            Severity.Info,
            "Branch Target Injection microcode support (IBRS/IBPB) is not visible inside this VM. This is by design: the Azure hypervisor does not " +
            $"expose it to VMs, and it does not mean Azure is unpatched ({Guidance.Azure}). No action.",
            Evidence.Of(("speculationControl", Evidence.Query(query, includeSecondWord: true))));
    }
}
