using System.Text.RegularExpressions;

namespace Compliance.Core.Rules;

/// <summary>
/// One wording the kernel can print for (a clause of) a vulnerabilities file, with its meaning and where it comes from.
/// </summary>
/// <param name="Pattern">The wording: a regular expression matched against the whole clause, case-insensitively.</param>
/// <param name="Kind">What it says.</param>
/// <param name="Cause">Why it is not a full mitigation, when it is not.</param>
/// <param name="Source">The kernel source (file and versions, or commit) that prints it.</param>
/// <param name="Parameters">The boot parameters that lead to this state, as they appear on the command line.</param>
/// <param name="Remedy">A remedy of its own, when the cause's usual one does not fit (a sysctl, a build option).</param>
public sealed record LinuxKnownState(
    string Pattern,
    LinuxStateKind Kind,
    LinuxStateCause Cause,
    string Source,
    IReadOnlyList<string>? Parameters = null,
    string? Remedy = null)
{
    private Regex? _regex;

    /// <summary>Whether <paramref name="clause"/> is this wording.</summary>
    public bool Matches(string clause)
    {
        ArgumentNullException.ThrowIfNull(clause);

        // The patterns are literal wordings and alternations of them (no nested quantifiers), so backtracking stays
        // linear in the clause, which the parser caps with the output (4 KB); the non-backtracking engine would cost
        // megabytes of automata for the table's few hundred patterns.
        _regex ??= new Regex(
            "^(?:" + Pattern + ")$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return _regex.IsMatch(clause);
    }
}
