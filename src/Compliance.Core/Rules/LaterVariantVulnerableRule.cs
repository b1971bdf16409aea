namespace Compliance.Core.Rules;

/// <summary>
/// <c>LATER_VARIANT_VULNERABLE</c>: Linux reports a hole for an issue found after January 2018: a later file
/// (<c>spec_store_bypass</c>, <c>l1tf</c>, <c>mds</c>, ...) that is not mitigated, or whose clause admits a hole (SMT,
/// a partial mode), or a clause of a January 2018 file that admits a later variant's hole (BHI, PBRSB, Spectre-BHB, the
/// LFENCE retpoline on AMD, IBPB off). Low. By default it asks for nothing (outside the January 2018 guidance, and in a
/// VM often a matter of the host's microcode); <see cref="RulesOptions.LaterVariantAction"/> <c>Remedy</c> makes it
/// call for the remedy of its files: a guest update, or <c>MitigationSettings</c> where only settings cause them.
/// </summary>
public sealed class LaterVariantVulnerableRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LinuxFindings.Of(context) is not { LaterHoles.Count: > 0 } findings)
        {
            yield break;
        }

        var holes = findings.LaterHoles;
        var actions = holes.Select(f => f.Remedy.Action).OfType<RemediationAction>().ToList();
        var action = context.Options.LaterVariantAction == LaterVariantPolicy.None
            ? (RemediationAction?)null
            : actions.Contains(RemediationAction.GuestUpdate) ? RemediationAction.GuestUpdate
            : actions.Count > 0 ? actions[0] : null;
        var message =
            "The kernel reports holes for speculative-execution issues found after January 2018: " +
            string.Join("; ", holes.Select(f => $"{f.Describe()} ({string.Join(", ", f.Reading.Holes.Select(h => h.Text))}): {f.Remedy.Describe()}")) +
            ". These are outside the January 2018 guidance, and inside a VM some depend on the host's microcode.";

        yield return new Finding(
            FindingCode.LaterVariantVulnerable,
            Severity.Low,
            message,
            Evidence.Of(
                ("vulnerabilities", holes.ToDictionary(f => f.Reading.File, f => (object?)f.Reading.Value, StringComparer.Ordinal)),
                ("readings", holes.Select(f => f.Evidence()).ToArray()),
                ("settings", findings.Settings())),
            action);
    }
}
