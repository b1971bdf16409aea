namespace Compliance.Core.Rules;

/// <summary>One row of the verdict table: looks at a resource and reports its findings.</summary>
public interface IComplianceRule
{
    /// <summary>The findings this rule makes about the resource in <paramref name="context"/>; none when it does not apply.</summary>
    IEnumerable<Finding> Evaluate(AssessmentContext context);
}
