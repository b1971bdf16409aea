namespace Compliance.Core.Rules;

/// <summary>
/// <c>MITIGATION_STATE_UNKNOWN</c>: the state of a January 2018 issue was not established: <c>meltdown</c>,
/// <c>spectre_v1</c> or <c>spectre_v2</c> is empty, says the kernel cannot tell (<c>Unknown…</c>, as for a Xen PV
/// guest), or has a wording (or a clause) the table of the kernels' own wordings does not know. Low, and the verdict
/// is Unknown (with the last known verdict kept beside it): a compliant verdict rests only on established facts.
/// </summary>
public sealed class MitigationStateUnknownRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (LinuxFindings.Of(context) is not { NotEstablished.Count: > 0 } findings)
        {
            yield break;
        }

        yield return new Finding(
            FindingCode.MitigationStateUnknown,
            Severity.Low,
            "The kernel's state of the January 2018 issues could not be established: " +
            string.Join("; ", findings.NotEstablished.Select(Why)) +
            ". Until it is, the verdict is Unknown. Check the machine by hand (for example with spectre-meltdown-checker), and update its kernel if the state is not a mitigation.",
            Evidence.Of(("readings", findings.NotEstablished.Select(f => f.Evidence()).ToArray())));
    }

    private static string Why(LinuxFinding finding) => finding.Reading switch
    {
        { Value.Length: 0 } or { Clauses.Count: 0 } => $"{finding.Reading.File} is empty",
        { Kind: LinuxStateKind.Unknown } => $"{finding.Describe()}: the kernel says it cannot tell",
        _ => $"{finding.Describe()}: not a wording the kernels print (unrecognised: \"{string.Join("\", \"", finding.Reading.Clauses.Where(c => c.Kind == LinuxStateKind.Unrecognised).Select(c => c.Text))}\")",
    };
}
