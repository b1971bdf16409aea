namespace Compliance.Core.Rules;

/// <summary>
/// <c>LATER_VARIANT_VULNERABLE</c>: Linux reports <c>Vulnerable</c> for an issue other than the three of January 2018
/// (spec_store_bypass, l1tf, mds, ...). Outside the January 2018 guidance and often host- or microcode-dependent in a
/// VM, so by default it asks for nothing; <see cref="RulesOptions.LaterVariantAction"/> can make it a guest update.
/// </summary>
public sealed class LaterVariantVulnerableRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Linux?.Vulnerabilities is not { } files)
        {
            yield break;
        }

        var vulnerable = files
            .Where(f => !GuestUpdateMissingRule.January2018Files.Contains(f.Key) && GuestUpdateMissingRule.IsVulnerable(f.Value))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        if (vulnerable.Count == 0)
        {
            yield break;
        }

        var action = context.Options.LaterVariantAction == LaterVariantPolicy.GuestUpdate ? RemediationAction.GuestUpdate : (RemediationAction?)null;
        var message =
            $"The kernel reports later speculative-execution issues as vulnerable: {string.Join("; ", vulnerable.Select(f => $"{f.Key} is \"{f.Value}\""))}. " +
            "These are outside the January 2018 guidance and inside a VM often depend on the host or on microcode; check your distribution's advisories and keep the kernel current.";

        yield return new Finding(
            FindingCode.LaterVariantVulnerable,
            Severity.Low,
            message,
            Evidence.Of(("vulnerabilities", vulnerable.ToDictionary(f => f.Key, f => (object?)f.Value, StringComparer.Ordinal))),
            action);
    }
}
