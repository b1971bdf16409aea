using Compliance.Core.Rules;

namespace Compliance.Core.Reporting;

/// <summary>
/// Counts verdicts one at a time into a <see cref="ReportSummary"/>, so that a summary of the whole stored fleet is
/// taken in one pass over the store without holding the fleet.
/// </summary>
public sealed class ReportSummaryCounter
{
    private readonly Dictionary<string, int> _byAction = Enum.GetValues<RemediationAction>().ToDictionary(a => a.ToString(), _ => 0, StringComparer.Ordinal);
    private int _total;
    private int _compliant;
    private int _actionRequired;
    private int _unknown;
    private int _exempt;

    /// <summary>Counts one verdict.</summary>
    public void Add(ReportResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _total++;
        switch (resource.Status)
        {
            case nameof(ComplianceStatus.Compliant):
                _compliant++;
                break;
            case nameof(ComplianceStatus.ActionRequired):
                _actionRequired++;
                break;
            case nameof(ComplianceStatus.Unknown):
                _unknown++;
                break;
            case nameof(ComplianceStatus.Exempt):
                _exempt++;
                break;
        }

        // byAction counts what needs doing: an Exempt resource keeps its actions visible, but they are not due.
        if (resource.Status == nameof(ComplianceStatus.Exempt))
        {
            return;
        }

        // An action listed twice counts once, as a resource that needs it.
        foreach (var action in resource.Actions.Distinct(StringComparer.Ordinal))
        {
            if (_byAction.TryGetValue(action, out var count))
            {
                _byAction[action] = count + 1;
            }
        }
    }

    /// <summary>The counts so far.</summary>
    public ReportSummary ToSummary() =>
        new(_total, _compliant, _actionRequired, _unknown, _exempt, new Dictionary<string, int>(_byAction, StringComparer.Ordinal));
}
