namespace Compliance.Core.Rules;

/// <summary>One observation about a resource (the fixed verdict contract).</summary>
/// <param name="Code">The stable code.</param>
/// <param name="Severity">How much it matters.</param>
/// <param name="Message">A human message with the remedy and the guidance it comes from.</param>
/// <param name="Evidence">The raw facts the finding was judged on (JSON-friendly values).</param>
/// <param name="Action">The remediation it calls for, if any.</param>
public sealed record Finding(
    FindingCode Code,
    Severity Severity,
    string Message,
    IReadOnlyDictionary<string, object?> Evidence,
    RemediationAction? Action = null);
