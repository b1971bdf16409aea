namespace Compliance.Core.Rules;

/// <summary>The known wordings of one vulnerabilities file: its first clause, and the clauses that may follow it.</summary>
/// <param name="File">The file name under <c>/sys/devices/system/cpu/vulnerabilities</c>.</param>
/// <param name="Issue">The issue it reports, for messages (for example "Meltdown (CVE-2017-5754)").</param>
/// <param name="Bases">The wordings of the value, or of its first clause.</param>
/// <param name="Clauses">The wordings of the clauses after the first (<c>; </c>, and for <c>spectre_v2</c> also <c>, </c>).</param>
/// <param name="OffParameters">
/// The boot parameters that turn the file's mitigation off, as they appear on the command line (<c>nopti</c>,
/// <c>pti=off</c>, ...), besides <c>mitigations=off</c>, which turns every one off.
/// </param>
public sealed record LinuxFileStates(
    string File,
    string Issue,
    IReadOnlyList<LinuxKnownState> Bases,
    IReadOnlyList<LinuxKnownState> Clauses,
    IReadOnlyList<string> OffParameters)
{
    /// <summary>Whether the file carries one of the three January 2018 issues.</summary>
    public bool IsJanuary2018 => LinuxKnownStates.January2018Files.Contains(File, StringComparer.Ordinal);
}
