namespace Compliance.Core.Rules;

/// <summary>
/// <c>L1TF_UPDATE_MISSING</c>: on a CPU vulnerable to rogue data cache load (the same test as for KVA shadow), the OS
/// does not report the L1 terminal fault mitigation (class 196: neither <c>0x2000</c>, L1 flush <c>0x1000</c>, nor an
/// inverted PTE bit with KVA shadow on), so it predates the August 2018 update (CVE-2018-3620). On a machine that runs
/// untrusted code: High, <c>GuestUpdate</c>; otherwise Low, no action.
/// </summary>
public sealed class L1tfUpdateMissingRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { KvaShadow.IsOk: true } windows
            || WindowsMitigations.L1tfSupportPresent(windows.KvaShadow)
            || WindowsMitigations.NeedsKvaShadow(windows) is not { Needed: true } need)
        {
            yield break;
        }

        var rating = UntrustedCodeChecklist.For(context.Untrusted, Severity.High, RemediationAction.GuestUpdate);
        yield return new Finding(
            FindingCode.L1tfUpdateMissing,
            rating.Severity,
            $"{rating.Preamble} The CPU is vulnerable to L1 terminal fault ({need.Basis}), but the OS does not report the L1TF mitigation: it predates the " +
            $"August 2018 update (CVE-2018-3620). Install the latest cumulative update and reboot ({WindowsMitigations.GuidanceArticle(windows)}).",
            Evidence.Of(
                ("kvaShadow", Evidence.Query(windows.KvaShadow, includeSecondWord: false)),
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("cpu", Evidence.Cpu(windows.Cpu)),
                ("vulnerableBecause", need.Basis),
                ("product", Evidence.Product(windows.Product)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            rating.Action);
    }
}
