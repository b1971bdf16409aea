using System.Text.Json;

namespace Compliance.Infra.Tests;

/// <summary>What the infrastructure files say, read from <see cref="InfraDocuments"/>.</summary>
internal sealed record InfraModel(
    IReadOnlyList<(string File, string Name, string Value)> AppSettings,
    IReadOnlyList<string> LocalSettings,
    IReadOnlyList<string> RoleActions,
    IReadOnlyList<string> EventFunctionReferences,
    IReadOnlyList<string> EventTypes,
    IReadOnlyList<string> EventOperations,
    IReadOnlyList<string> BicepLiterals,
    IReadOnlyList<FunctionDefinition> Functions)
{
    public static InfraModel Read(InfraDocuments documents)
    {
        var bicep = documents.Bicep.ToList();
        using var local = JsonDocument.Parse(documents.Files[InfraDocuments.LocalSettings]);
        return new InfraModel(
            bicep.SelectMany(f => BicepText.AppSettings(f.Value).Select(s => (f.Key, s.Name, s.Value))).ToList(),
            local.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList(),
            bicep.SelectMany(f => BicepText.Strings(f.Value, "actions")).ToList(),
            bicep.SelectMany(f => BicepText.FunctionReferences(f.Value)).Distinct(StringComparer.Ordinal).ToList(),
            bicep.SelectMany(f => BicepText.Strings(f.Value, "includedEventTypes")).ToList(),
            bicep.SelectMany(f => BicepText.FilterValues(f.Value, "data.operationName")).ToList(),
            bicep.SelectMany(f => BicepText.Literals(f.Value)).Distinct(StringComparer.Ordinal).ToList(),
            documents.FunctionDefinitions.Select(f => FunctionDefinition.Read(f.Key, f.Value)).ToList());
    }
}
