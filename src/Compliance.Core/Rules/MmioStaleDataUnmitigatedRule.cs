namespace Compliance.Core.Rules;

/// <summary>
/// <c>MMIO_STALE_DATA_UNMITIGATED</c>: the OS reports its MMIO stale data state (class 201 second word <c>0x10</c>), the
/// CPU is vulnerable to one of SBDR/SSDP, FBSDP or PSDP (<c>0x01</c>, <c>0x02</c> or <c>0x04</c> clear, and not an AMD,
/// Hygon or Arm processor), and FBClear is not enabled (<c>0x08</c> clear). FBClear needs microcode support that a VM
/// sees only when the host exposes it, so the guest cannot act: no action on any machine; Medium where untrusted code
/// runs (the guidance: if protections are not enabled, contact Azure Support), Low elsewhere.
/// </summary>
public sealed class MmioStaleDataUnmitigatedRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { SpeculationControl.IsOk: true } windows
            || !windows.SpeculationControl.Has2(WindowsMitigations.FbClearReported)
            || windows.SpeculationControl.Has2(WindowsMitigations.FbClearEnabled)
            || !WindowsMitigations.MmioHardwareVulnerable(windows))
        {
            yield break;
        }

        var rating = UntrustedCodeChecklist.For(context.Untrusted, Severity.Medium, action: null);
        yield return new Finding(
            FindingCode.MmioStaleDataUnmitigated,
            rating.Severity,
            $"{rating.Preamble} The CPU is vulnerable to MMIO stale data (ADV220002: CVE-2022-21123, CVE-2022-21125, CVE-2022-21127, CVE-2022-21166) and the " +
            "fill buffer clearing (FBClear) mitigation is not enabled. It needs microcode support that a VM sees only when the Azure host exposes it, so " +
            $"nothing in the guest can turn it on; the {Guidance.Azure} says to contact Azure Support when the protections must show inside the VM.",
            Evidence.Of(
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("cpu", Evidence.Cpu(windows.Cpu)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            rating.Action);
    }
}
