namespace Compliance.Core.Rules;

/// <summary>One vulnerabilities file that a Linux rule reports, with its remedy.</summary>
/// <param name="Reading">The file, read clause by clause.</param>
/// <param name="Remedy">What ends its state.</param>
public sealed record LinuxFinding(LinuxStateReading Reading, LinuxRemedy Remedy)
{
    /// <summary>The file and its value, for messages: <c>spectre_v2 is "…"</c>.</summary>
    public string Describe() => $"{Reading.File} is \"{Reading.Value}\"";

    /// <summary>The evidence of this file: its value, what it says, why, the clauses that admit a hole and the remedy.</summary>
    public IReadOnlyDictionary<string, object?> Evidence() => Rules.Evidence.Of(
        ("file", Reading.File),
        ("value", Reading.Value),
        ("state", Reading.Kind.ToString()),
        ("cause", Reading.Cause.ToString()),
        ("holes", Reading.Holes.Select(h => h.Text).ToArray()),
        ("unrecognised", Reading.Clauses.Where(c => c.Kind == LinuxStateKind.Unrecognised).Select(c => c.Text).ToArray()),
        ("remedy", Remedy.Describe()),
        ("offParameters", Remedy.OffParameters.ToArray()));
}
