namespace Compliance.Core.Rules;

/// <summary>
/// <c>LATER_VARIANT_UNVERIFIED</c>: the state of a later issue was not established: its file is empty, the kernel
/// says it cannot tell (<c>Unknown: Dependent on hypervisor status</c>, <c>Unknown: No mitigations</c>), or the
/// wording is not one the kernels print. Low, no action: later variants do not decide the verdict, but an unknown
/// state is never silently fine.
/// </summary>
public sealed class LaterVariantUnverifiedRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LinuxFindings.Of(context) is not { LaterNotEstablished.Count: > 0 } findings)
        {
            yield break;
        }

        var files = findings.LaterNotEstablished;
        yield return new Finding(
            FindingCode.LaterVariantUnverified,
            Severity.Low,
            "The state of later speculative-execution issues could not be established: " +
            string.Join("; ", files.Select(f => f.Reading.Kind == LinuxStateKind.Unknown
                ? $"{f.Describe()} (the kernel cannot tell)"
                : f.Reading.Value.Length == 0 ? $"{f.Reading.File} is empty" : $"{f.Describe()} (not a wording the kernels print)")) +
            ". They do not decide the verdict; check them with your distribution's advisories.",
            Evidence.Of(
                ("vulnerabilities", files.ToDictionary(f => f.Reading.File, f => (object?)f.Reading.Value, StringComparer.Ordinal)),
                ("readings", files.Select(f => f.Evidence()).ToArray())));
    }
}
