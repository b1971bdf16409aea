namespace Compliance.Core.Rules;

/// <summary><c>UNTRUSTED_CODE_HOST</c>: records why a resource counts as running untrusted code (a role or the tag).</summary>
public sealed class UntrustedCodeHostRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Untrusted.IsUntrusted)
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.UntrustedCodeHost,
            Severity.Info,
            $"Counts as running untrusted code because {context.Untrusted.Reasons}. The {Guidance.Azure} asks for Kernel VA Shadowing on Windows machines " +
            "and Cloud Services that run untrusted code (RDS session hosts, nested Hyper-V hosts, containers, untrusted extensions or web content).",
            Evidence.Untrusted(context.Untrusted));
    }
}
