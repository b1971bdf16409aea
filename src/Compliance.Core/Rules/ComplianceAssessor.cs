using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Rules;

/// <summary>
/// Judges a resource: runs every rule and derives the status. <c>ActionRequired</c> iff at least one finding calls for
/// an action; otherwise <c>Unknown</c> when the guest could not be checked, else <c>Compliant</c>. So Unknown wins
/// over Compliant but never hides an action already proven.
/// </summary>
public sealed class ComplianceAssessor
{
    private readonly IReadOnlyList<IComplianceRule> _rules;
    private readonly IOptions<RulesOptions> _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates an assessor over <paramref name="rules"/>, evaluated in order.</summary>
    public ComplianceAssessor(IEnumerable<IComplianceRule> rules, IOptions<RulesOptions> options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _rules = rules.ToList();
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>Judges <paramref name="resource"/> given the outcome of its guest check (<c>null</c> when it has no guest).</summary>
    public Assessment Assess(InventoryResource resource, GuestCheckOutcome? guest)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var options = _options.Value;
        var context = new AssessmentContext(resource, guest, UntrustedCode.Evaluate(resource, guest?.Report, options), options);

        var findings = _rules
            .SelectMany(rule => rule.Evaluate(context))
            .Select((finding, index) => (finding, index))
            .OrderByDescending(f => f.finding.Severity)
            .ThenBy(f => f.index)
            .Select(f => f.finding)
            .ToList();

        var actions = findings
            .Select(f => f.Action)
            .OfType<RemediationAction>()
            .Distinct()
            .Order()
            .ToList();

        var status = actions.Count > 0
            ? ComplianceStatus.ActionRequired
            : findings.Any(f => f.Code.MeansUnchecked) ? ComplianceStatus.Unknown : ComplianceStatus.Compliant;

        return new Assessment(resource, status, actions, findings, _timeProvider.GetUtcNow());
    }
}
