using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>What the infrastructure files say, read from <see cref="InfraDocuments"/>.</summary>
internal sealed partial record InfraModel(
    IReadOnlyList<(string File, string Name, string Value)> AppSettings,
    IReadOnlyDictionary<string, string?> AppSettingValues,
    IReadOnlyDictionary<string, string?> LocalSettings,
    IReadOnlyList<string> RoleActions,
    IReadOnlyList<string> RemediatorRoleActions,
    IReadOnlyList<string> AssignedRoles,
    IReadOnlyList<EventSubscriptionDefinition> EventSubscriptions,
    IReadOnlyList<string> Queues,
    string? RuntimeName,
    string? RuntimeVersion,
    IReadOnlyList<FunctionEntry> Functions)
{
    /// <summary>The module of the remediator role, deployed only with remediation on; every other role is the scanner's.</summary>
    public const string RemediatorRoleFile = "infra/modules/remediatorRole.bicep";

    public const string QueueResourceType = "Microsoft.Storage/storageAccounts/queueServices/queues";
    private const string RoleAssignmentType = "Microsoft.Authorization/roleAssignments";
    private const string SiteType = "Microsoft.Web/sites";

    public static InfraModel Read(InfraDocuments documents)
    {
        var values = new BicepValues(documents);
        var bicep = documents.Bicep.ToList();
        var declarations = bicep.SelectMany(f => BicepText.Declarations(f.Value).Select(d => (f.Key, Declaration: d))).ToList();
        var appSettings = bicep.SelectMany(f => BicepText.AppSettings(f.Value).Select(s => (f.Key, s.Name, s.Value))).ToList();
        var runtime = declarations.Where(d => d.Declaration.IsResource(SiteType)).Select(d => (d.Key, Runtime: Runtime(d.Declaration))).FirstOrDefault(r => r.Runtime is not null);

        using var local = JsonDocument.Parse(documents.Files[InfraDocuments.LocalSettings]);
        return new InfraModel(
            appSettings,
            appSettings.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => values.Resolve(g.First().Key, g.First().Value), StringComparer.Ordinal),
            local.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString(), StringComparer.Ordinal),
            bicep.Where(f => f.Key != RemediatorRoleFile).SelectMany(f => BicepText.Strings(f.Value, "actions")).ToList(),
            bicep.Where(f => f.Key == RemediatorRoleFile).SelectMany(f => BicepText.Strings(f.Value, "actions")).ToList(),
            bicep.Where(f => declarations.Any(d => d.Key == f.Key && d.Declaration.IsResource(RoleAssignmentType)))
                .SelectMany(f => RoleIdPattern().Matches(f.Value).Select(m => m.Value.ToLowerInvariant())).Distinct(StringComparer.Ordinal).ToList(),
            declarations.Where(d => d.Declaration.IsResource(EventSubscriptionDefinition.ResourceType))
                .Select(d => EventSubscriptionDefinition.Read(d.Key, d.Declaration, values)).ToList(),
            declarations.Where(d => d.Declaration.IsResource(QueueResourceType))
                .Select(d => values.Resolve(d.Key, BicepText.Property(d.Declaration.Body, "name")) ?? $"({BicepText.Property(d.Declaration.Body, "name")})").ToList(),
            runtime.Runtime is null ? null : values.Resolve(runtime.Key, BicepText.Property(runtime.Runtime, "name")),
            runtime.Runtime is null ? null : values.Resolve(runtime.Key, BicepText.Property(runtime.Runtime, "version")),
            FunctionsMetadata.Parse(documents.Metadata).Functions);
    }

    /// <summary>The fixed value of a Bicep app setting in a deployment, or null when it has none (or is not set).</summary>
    public string? AppSettingValue(string name) => AppSettingValues.GetValueOrDefault(name);

    // The body of properties.functionAppConfig.runtime: the worker a Flex Consumption app runs.
    private static string? Runtime(BicepDeclaration site)
    {
        var properties = BicepText.Inner(BicepText.Property(site.Body, "properties"));
        var config = BicepText.Inner(BicepText.Property(properties, "functionAppConfig"));
        return BicepText.Inner(BicepText.Property(config, "runtime"));
    }

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b", RegexOptions.CultureInvariant)]
    private static partial Regex RoleIdPattern();
}
