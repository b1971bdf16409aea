using System.Text.Json;
using Compliance.Azure.ResourceManager;

namespace Compliance.Infra.Tests;

/// <summary>
/// <c>enableRemediation</c> of <c>infra/main.bicep</c>, read from the ARM template the Bicep CLI compiles: off (the
/// default), the deployment defines and assigns no role but the scanner's; on, it adds the remediator role holding
/// exactly <see cref="ArmPermissions.RemediationActions"/> and its assignment, and nothing else; and the app's switch
/// follows the same parameter. The template's conditions are evaluated for both values of the parameter: a condition
/// that is exactly the parameter takes its value; one that does not depend on it is the same either way and counts as
/// deployed; anything else that mentions it cannot be evaluated here and fails the test (no what-if needed).
/// </summary>
public sealed class RemediationDeploymentTests
{
    private const string Parameter = "enableRemediation";
    private const string ParameterReference = "[parameters('enableRemediation')]";
    private const string RoleDefinitionType = "Microsoft.Authorization/roleDefinitions";
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";

    [Fact]
    public async Task Main_RemediationOff_NoRoleButTheScannersDefinedOrAssignedBeyondTheDataRoles()
    {
        using var template = await CompileMainAsync();

        var off = RoleResources(template.RootElement, enabled: false);
        var on = RoleResources(template.RootElement, enabled: true);

        Assert.False(template.RootElement.GetProperty("parameters").GetProperty(Parameter).GetProperty("defaultValue").GetBoolean());
        var definition = Assert.Single(off, r => r.Type == RoleDefinitionType);
        Assert.Equal(ArmPermissions.Actions, Actions(definition.Resource));
        Assert.DoesNotContain(off, r => r.Path.Contains("remediator", StringComparison.Ordinal));

        // Turning it on adds exactly the remediator role and its assignment.
        var added = on.Select(r => r.Key).Except(off.Select(r => r.Key)).ToList();
        Assert.Empty(off.Select(r => r.Key).Except(on.Select(r => r.Key)));
        Assert.Equal(2, added.Count);
        var remediator = Assert.Single(on, r => r.Type == RoleDefinitionType && added.Contains(r.Key));
        Assert.Equal(ArmPermissions.RemediationActions, Actions(remediator.Resource));
        var assignment = Assert.Single(on, r => r.Type == RoleAssignmentType && added.Contains(r.Key));
        Assert.Contains("compliance-remediator", assignment.Resource.GetProperty("name").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_EnableRemediation_IsTheAppsRemediationSwitch()
    {
        using var template = await CompileMainAsync();

        var functionApp = Deployments(template.RootElement).Single(d => d.GetProperty("name").GetString() == "compliance-function-app");
        Assert.Equal(ParameterReference, functionApp.GetProperty("properties").GetProperty("parameters").GetProperty(Parameter).GetProperty("value").GetString());
        var infra = InfraModel.Read(InfraDocuments.Load());
        var setting = Assert.Single(infra.AppSettings, s => s.Name == ArmPermissions.RemediationSetting);
        Assert.Equal("infra/modules/functionApp.bicep", setting.File);
        Assert.Equal("enableRemediation ? 'true' : 'false'", setting.Value);
    }

    private static async Task<JsonDocument> CompileMainAsync()
    {
        var run = await BicepCli.CheckAsync(RepositoryFiles.PathOf("infra", "main.bicep"));
        Assert.True(run.BuildExitCode == 0, string.Join("; ", run.Diagnostics));
        return JsonDocument.Parse(run.Template);
    }

    // Every role definition and assignment the template deploys with the parameter at enabled, through nested
    // deployments, each keyed by the deployments it lies in and its own name.
    private static List<(string Key, string Path, string Type, JsonElement Resource)> RoleResources(JsonElement template, bool enabled)
    {
        var found = new List<(string, string, string, JsonElement)>();
        Walk(template, "", enabled, dependsOnParameter: new HashSet<string> { Parameter }, found);
        return found;
    }

    private static void Walk(JsonElement template, string path, bool enabled, IReadOnlySet<string> dependsOnParameter, List<(string, string, string, JsonElement)> found)
    {
        foreach (var resource in Resources(template))
        {
            if (!Deployed(resource, enabled, dependsOnParameter))
            {
                continue;
            }

            var type = resource.GetProperty("type").GetString();
            var name = resource.GetProperty("name").GetString() ?? "";
            if (type is RoleDefinitionType or RoleAssignmentType)
            {
                found.Add(($"{path}/{type}/{name}", path, type, resource));
            }
            else if (type == "Microsoft.Resources/deployments" && resource.GetProperty("properties").TryGetProperty("template", out var nested))
            {
                // The nested template's parameters that carry the switch: a condition on one of them depends on it too.
                var carried = resource.GetProperty("properties").TryGetProperty("parameters", out var parameters)
                    ? parameters.EnumerateObject().Where(p => dependsOnParameter.Any(d => p.Value.GetRawText().Contains($"parameters('{d}')", StringComparison.Ordinal))).Select(p => p.Name).ToHashSet()
                    : new HashSet<string>();
                Walk(nested, $"{path}/{name}", enabled, carried, found);
            }
        }
    }

    private static bool Deployed(JsonElement resource, bool enabled, IReadOnlySet<string> dependsOnParameter)
    {
        if (!resource.TryGetProperty("condition", out var condition))
        {
            return true;
        }

        var text = condition.ValueKind == JsonValueKind.String ? condition.GetString()! : condition.GetRawText();
        if (dependsOnParameter.Contains(Parameter) && text == ParameterReference)
        {
            return enabled;
        }

        Assert.False(
            dependsOnParameter.Any(p => text.Contains($"parameters('{p}')", StringComparison.Ordinal)),
            $"The condition {text} depends on {Parameter} in a way this test cannot evaluate.");
        return true;
    }

    private static IEnumerable<JsonElement> Deployments(JsonElement template) =>
        Resources(template).Where(r => r.GetProperty("type").GetString() == "Microsoft.Resources/deployments");

    // Resources are an array, or an object keyed by symbolic name (language version 2.0).
    private static IEnumerable<JsonElement> Resources(JsonElement template) =>
        !template.TryGetProperty("resources", out var resources) ? []
        : resources.ValueKind == JsonValueKind.Array ? resources.EnumerateArray()
        : resources.EnumerateObject().Select(p => p.Value);

    private static List<string> Actions(JsonElement definition) =>
        definition.GetProperty("properties").GetProperty("permissions").EnumerateArray()
            .SelectMany(p => p.GetProperty("actions").EnumerateArray().Select(a => a.GetString() ?? ""))
            .ToList();
}
