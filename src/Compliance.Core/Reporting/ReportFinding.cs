using System.Text.Json.Serialization;

namespace Compliance.Core.Reporting;

/// <summary>One finding of a report.</summary>
/// <param name="Code">The stable finding code.</param>
/// <param name="Severity"><c>High</c>, <c>Medium</c>, <c>Low</c> or <c>Info</c>.</param>
/// <param name="Message">The human message with the remedy.</param>
/// <param name="Evidence">The raw facts the finding was judged on.</param>
public sealed record ReportFinding(
    string Code,
    string Severity,
    string Message,
    IReadOnlyDictionary<string, object?> Evidence)
{
    /// <summary>
    /// The action the finding calls for, if any (an addition to the fixed format; absent when none, and in verdicts
    /// stored before it was recorded). Exemptions by finding code read it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Action { get; init; }
}
