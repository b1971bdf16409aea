namespace Compliance.Core.Rules;

/// <summary>
/// <c>VULNERABLE_MODULE_LOADED</c>: <c>spectre_v2</c> reports a loaded module built without retpoline (" - vulnerable
/// module loaded" at its end; RHEL's "Vulnerable: Retpoline with unsafe module(s)"; UEK's "(non-retpoline module(s) has
/// been loaded)"). Such a module's indirect branches undo the Spectre variant 2 fix for the whole kernel. High,
/// <c>GuestUpdate</c>: update or remove the module.
/// </summary>
public sealed class VulnerableModuleLoadedRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LinuxFindings.Of(context) is not { VulnerableModule: [var finding, ..] })
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.VulnerableModuleLoaded,
            Severity.High,
            $"A kernel module built without retpoline is loaded ({finding.Describe()}): its indirect branches undo the Spectre variant 2 (CVE-2017-5715) " +
            "mitigation for the whole kernel. Update the module (out-of-tree drivers, such as vendor storage or GPU modules, have retpoline builds) " +
            "or unload it and keep it from loading; modinfo shows \"retpoline: Y\" for the modules that are safe. Then reboot.",
            Evidence.Of(("reading", finding.Evidence()), ("kernel", context.Linux?.Kernel)),
            RemediationAction.GuestUpdate);
    }
}
