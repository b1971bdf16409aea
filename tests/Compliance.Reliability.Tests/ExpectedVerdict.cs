namespace Compliance.Reliability.Tests;

/// <summary>A machine's true verdict: its status and the actions it needs.</summary>
internal sealed record ExpectedVerdict(string Status, IReadOnlyList<string> Actions);
