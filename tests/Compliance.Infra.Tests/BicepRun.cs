namespace Compliance.Infra.Tests;

/// <summary>What <c>bicep build</c> and <c>bicep lint</c> said of one file.</summary>
internal sealed record BicepRun(int BuildExitCode, int LintExitCode, IReadOnlyList<BicepDiagnostic> Diagnostics, string Template);
