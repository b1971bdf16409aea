namespace Compliance.Infra.Tests;

/// <summary>A <c>resource</c> or <c>module</c> of a Bicep file: its symbol, its type (or the module's path) and its body.</summary>
internal sealed record BicepDeclaration(string Kind, string Symbol, string Target, bool Existing, string Body)
{
    public bool IsResource(string type) => Kind == "resource" && !Existing && Target.Equals(type, StringComparison.OrdinalIgnoreCase);
}
