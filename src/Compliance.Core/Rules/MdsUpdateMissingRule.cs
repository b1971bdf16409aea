namespace Compliance.Core.Rules;

/// <summary>
/// <c>MDS_UPDATE_MISSING</c>: class 201 does not report the OS's MDS state (<c>0x4000000</c> clear), so the OS
/// predates the May 2019 update (microarchitectural data sampling: CVE-2018-11091, CVE-2018-12126, CVE-2018-12127,
/// CVE-2018-12130). SpeculationControl's first suggested action for it is to install the updates. On a machine that
/// runs untrusted code: High, <c>GuestUpdate</c>; otherwise Low, no action.
/// </summary>
public sealed class MdsUpdateMissingRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is not { SpeculationControl.IsOk: true } windows
            || windows.SpeculationControl.Has(WindowsMitigations.MbClearReported))
        {
            yield break;
        }

        var rating = UntrustedCodeChecklist.For(context.Untrusted, Severity.High, RemediationAction.GuestUpdate);
        yield return new Finding(
            FindingCode.MdsUpdateMissing,
            rating.Severity,
            $"{rating.Preamble} The OS does not report its microarchitectural data sampling (MDS) state: it predates the May 2019 update " +
            $"(CVE-2018-12126, CVE-2018-12127, CVE-2018-12130, CVE-2019-11091). Install the latest cumulative update and reboot ({WindowsMitigations.GuidanceArticle(windows)}).",
            Evidence.Of(
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("product", Evidence.Product(windows.Product)),
                ("untrustedCode", Evidence.Untrusted(context.Untrusted))),
            rating.Action);
    }
}
