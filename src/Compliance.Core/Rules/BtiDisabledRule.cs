namespace Compliance.Core.Rules;

/// <summary>
/// <c>BTI_DISABLED</c>: the branch target injection (Spectre variant 2, CVE-2017-5715) mitigation is not enabled
/// (class 201 <c>0x01</c> clear) although the CPU's microcode is visible (<c>0x08</c> or <c>0x10</c>, and not
/// <c>0x04</c>): usually system policy (<c>0x02</c>), since BTI is off by default on Windows Server. The Azure guidance
/// asks for KVAS and BTI where untrusted code runs (FeatureSettingsOverride 0 with mask 3 enables both): there it is
/// High with <c>MitigationSettings</c>. On a trusted Windows Server it is the default and not a finding; on a trusted
/// client edition, where BTI is on by default, it is a Low finding without an action. When the microcode is not
/// visible, <c>BTI_MICROCODE_NOT_EXPOSED</c> applies instead.
/// </summary>
public sealed class BtiDisabledRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { SpeculationControl.IsOk: true } windows
            || WindowsMitigations.BtiEnabled(windows)
            || WindowsMitigations.BtiMicrocodeNotExposed(windows.SpeculationControl)
            || (!context.Untrusted.IsUntrusted && windows.Product?.IsWorkstation != true))
        {
            yield break;
        }

        var rating = UntrustedCodeChecklist.For(context.Untrusted, Severity.High, RemediationAction.MitigationSettings);
        var byPolicy = windows.SpeculationControl.Has(WindowsMitigations.BpbDisabledSystemPolicy);
        var rebootPending = WindowsMitigations.RegistryRequestsBti(windows.Registry);
        var kb = WindowsMitigations.GuidanceArticle(windows);
        var state = byPolicy
            ? "The branch target injection (Spectre variant 2, CVE-2017-5715) mitigation is disabled by system policy"
            : "The branch target injection (Spectre variant 2, CVE-2017-5715) mitigation is not enabled";
        var remedy = rebootPending
            ? "The registry already asks for it (FeatureSettingsOverride bit 0x1 clear, mask bit 0x1 set): reboot the machine."
            : $"Enable it as {kb} describes: {Guidance.EnableBtiAndKvaShadow} under {Guidance.MemoryManagementKey} (on AMD processors {Guidance.EnableBtiFullAmd}), then reboot.";

        yield return new Finding(
            FindingCode.BtiDisabled,
            rating.Severity,
            $"{rating.Preamble} {state}, although the CPU's microcode for it is visible. {remedy}",
            Evidence.Of(
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("disabledBySystemPolicy", byPolicy),
                ("registry", Evidence.Registry(windows.Registry)),
                ("rebootPending", rebootPending),
                ("product", Evidence.Product(windows.Product)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            rating.Action);
    }
}
