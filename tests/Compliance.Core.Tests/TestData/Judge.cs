using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.TestData;

/// <summary>Runs the full rule set, as a scan does.</summary>
public static class Judge
{
    public static Assessment Assess(InventoryResource resource, GuestReport report, RulesOptions? options = null) =>
        Assessor(options).Assess(resource, GuestCheckOutcome.Reported(report));

    public static Assessment Assess(InventoryResource resource, GuestCheckFailure failure, RulesOptions? options = null) =>
        Assessor(options).Assess(resource, GuestCheckOutcome.Failed(failure));

    public static Assessment Assess(CloudService service, RulesOptions? options = null) =>
        Assessor(options).Assess(service, guest: null);

    public static ComplianceAssessor Assessor(RulesOptions? options = null, TimeProvider? time = null) =>
        new(ComplianceRules.CreateAll(), Options.Create(options ?? new RulesOptions()), time ?? new FakeTimeProvider(TestTime.Start));

    public static AssessmentContext Context(InventoryResource resource, GuestReport? report, RulesOptions? options = null)
    {
        options ??= new RulesOptions();
        return new AssessmentContext(
            resource,
            report is null ? null : GuestCheckOutcome.Reported(report),
            UntrustedCode.Evaluate(resource, report, options),
            options);
    }

    public static string[] Codes(this Assessment assessment) =>
        assessment.Findings.Select(f => f.Code.ToString()).Order(StringComparer.Ordinal).ToArray();

    public static string[] Codes(this IEnumerable<Finding> findings) =>
        findings.Select(f => f.Code.ToString()).Order(StringComparer.Ordinal).ToArray();
}
