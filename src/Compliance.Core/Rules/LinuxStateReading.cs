namespace Compliance.Core.Rules;

/// <summary>A vulnerabilities file read clause by clause, and the state it establishes.</summary>
/// <param name="File">The file name.</param>
/// <param name="Value">The value as the guest reported it.</param>
/// <param name="Kind">
/// The file's state: <see cref="LinuxStateKind.Unrecognised"/> when any clause is unknown (or the value is empty),
/// else <see cref="LinuxStateKind.Unknown"/> when the kernel says it cannot tell, else
/// <see cref="LinuxStateKind.Vulnerable"/> when a clause says so (or a vulnerable module is loaded), else
/// <see cref="LinuxStateKind.LaterHole"/>, else <see cref="LinuxStateKind.NotAffected"/> or <see cref="LinuxStateKind.Mitigated"/>.
/// </param>
/// <param name="Cause">The cause of the clause that decided <paramref name="Kind"/>.</param>
/// <param name="Clauses">Every clause, in order.</param>
/// <param name="VulnerableModule">Whether the value ends with " - vulnerable module loaded".</param>
public sealed record LinuxStateReading(
    string File,
    string Value,
    LinuxStateKind Kind,
    LinuxStateCause Cause,
    IReadOnlyList<LinuxClauseReading> Clauses,
    bool VulnerableModule)
{
    /// <summary>Whether the state is a full mitigation (or not affected): nothing to report.</summary>
    public bool IsFine => Kind is LinuxStateKind.NotAffected or LinuxStateKind.Mitigated;

    /// <summary>The clauses that admit a hole (vulnerable, or a later variant's hole).</summary>
    public IEnumerable<LinuxClauseReading> Holes => Clauses.Where(c => c.Kind is LinuxStateKind.Vulnerable or LinuxStateKind.LaterHole);
}
