namespace Compliance.Infra.Tests;

/// <summary>One diagnostic of the Bicep CLI: where, how severe, which rule, what it says.</summary>
internal sealed record BicepDiagnostic(string File, int Line, string Level, string Code, string Message)
{
    public override string ToString() => $"{File}({Line}) {Level} {Code}: {Message}";
}
