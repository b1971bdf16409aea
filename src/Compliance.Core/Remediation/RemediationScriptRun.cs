namespace Compliance.Core.Remediation;

/// <summary>One constant script of a step: which, its SHA-256, and once run, what it reported setting.</summary>
/// <param name="Name">The script's name in the catalogue.</param>
/// <param name="Sha256">The SHA-256 of the script text that runs, for audit.</param>
/// <param name="Description">What it sets.</param>
public sealed record RemediationScriptRun(string Name, string Sha256, string Description)
{
    /// <summary>What the script printed it set, once it ran.</summary>
    public IReadOnlyList<RemediationSetting>? Settings { get; init; }

    /// <summary>Why it failed (the run or its own report), once it ran; <see langword="null"/> when it did not fail.</summary>
    public string? Error { get; init; }
}
