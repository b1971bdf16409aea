using Compliance.Core.Rules;

namespace Compliance.Core.Reporting;

/// <summary>Turns verdicts into the report format.</summary>
public static class ComplianceReportBuilder
{
    /// <summary>A report of the given verdicts.</summary>
    public static ComplianceReport Build(
        string scanId,
        DateTimeOffset startedAt,
        DateTimeOffset completedAt,
        IEnumerable<Assessment> assessments,
        IReadOnlyList<ReportError> errors)
    {
        ArgumentNullException.ThrowIfNull(assessments);
        var resources = assessments.OrderBy(a => a.ResourceId).Select(ToResource).ToList();
        return new ComplianceReport(scanId, startedAt, completedAt, Summarize(resources), resources, errors);
    }

    /// <summary>The counts of a list of report resources.</summary>
    public static ReportSummary Summarize(IReadOnlyCollection<ReportResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var counter = new ReportSummaryCounter();
        foreach (var resource in resources)
        {
            counter.Add(resource);
        }

        return counter.ToSummary();
    }

    /// <summary>One verdict in the report format.</summary>
    public static ReportResource ToResource(Assessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var resource = assessment.Resource;
        return new ReportResource(
            resource.Id.Value,
            resource.Kind.ToString(),
            resource.Name,
            resource.Os?.ToString(),
            assessment.Status.ToString(),
            assessment.Actions.Select(a => a.ToString()).ToList(),
            assessment.Findings.Select(f => new ReportFinding(f.Code.ToString(), f.Severity.ToString(), f.Message, f.Evidence) { Action = f.Action?.ToString() }).ToList(),
            resource.Id.SubscriptionId,
            resource.Id.ResourceGroup,
            resource.Location,
            assessment.CheckedAt);
    }
}
