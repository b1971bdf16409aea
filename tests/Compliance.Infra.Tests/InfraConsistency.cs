using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// Checks that the infrastructure and the code agree, and that the infrastructure holds no secret. Each problem is one
/// line naming the setting, function, action or file; none means they agree.
/// </summary>
internal static partial class InfraConsistency
{
    // Settings the Functions host reads itself, not the app.
    private static readonly string[] _hostSettingsInAzure = ["AzureWebJobsStorage__accountName", "AzureWebJobsStorage__credential", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING"];
    private static readonly string[] _hostSettingsLocally = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    public static IReadOnlyList<string> Check(InfraDocuments documents, AppModel app)
    {
        var infra = InfraModel.Read(documents);
        var problems = new List<string>();
        Settings(infra, app, problems);
        Permissions(infra, app, problems);
        Events(infra, app, problems);
        Secrets(documents, infra, problems);
        return problems;
    }

    private static void Settings(InfraModel infra, AppModel app, List<string> problems)
    {
        var bicep = infra.AppSettings.Select(s => s.Name).ToList();
        foreach (var duplicate in bicep.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Setting {duplicate.Key} is set more than once in the Bicep app settings.");
        }

        foreach (var setting in app.BoundSettings)
        {
            if (!bicep.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is read by the app but not set in the Bicep app settings.");
            }

            if (!infra.LocalSettings.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is read by the app but missing from {InfraDocuments.LocalSettings}.");
            }
        }

        foreach (var setting in bicep.Except(app.BoundSettings, StringComparer.Ordinal).Except(_hostSettingsInAzure, StringComparer.Ordinal))
        {
            problems.Add($"Setting {setting} is set in the Bicep app settings but the app does not read it.");
        }

        foreach (var setting in infra.LocalSettings.Except(app.BoundSettings, StringComparer.Ordinal).Except(_hostSettingsLocally, StringComparer.Ordinal))
        {
            problems.Add($"Setting {setting} is in {InfraDocuments.LocalSettings} but the app does not read it.");
        }

        foreach (var host in _hostSettingsInAzure.Except(bicep, StringComparer.Ordinal))
        {
            problems.Add($"Setting {host} (read by the Functions host) is not set in the Bicep app settings.");
        }

        foreach (var function in infra.Functions.Where(f => f.ScheduleSetting is not null && !bicep.Contains(f.ScheduleSetting, StringComparer.Ordinal)))
        {
            problems.Add($"Function {function.Name} takes its schedule from {function.ScheduleSetting}, which the Bicep app settings do not set.");
        }
    }

    private static void Permissions(InfraModel infra, AppModel app, List<string> problems)
    {
        foreach (var action in app.ArmActions.Except(infra.RoleActions, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"ARM action {action} is used by the app but missing from the Bicep custom role.");
        }

        foreach (var action in infra.RoleActions.Except(app.ArmActions, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"ARM action {action} is granted by the Bicep custom role but the app does not use it.");
        }

        foreach (var wildcard in infra.RoleActions.Where(a => a.Contains('*', StringComparison.Ordinal)))
        {
            problems.Add($"ARM action {wildcard} in the Bicep custom role is a wildcard.");
        }
    }

    private static void Events(InfraModel infra, AppModel app, List<string> problems)
    {
        var eventFunctions = infra.Functions.Where(f => f.Trigger == "eventGridTrigger").Select(f => f.Name).ToList();
        if (eventFunctions.Count == 0)
        {
            problems.Add("No function has an eventGridTrigger.");
        }

        foreach (var function in eventFunctions.Except(infra.EventFunctionReferences, StringComparer.Ordinal))
        {
            problems.Add($"Function {function} has an eventGridTrigger but no Bicep event subscription names it.");
        }

        foreach (var reference in infra.EventFunctionReferences.Except(eventFunctions, StringComparer.Ordinal))
        {
            problems.Add($"The Bicep event subscription names function {reference}, which is no function with an eventGridTrigger.");
        }

        foreach (var type in app.HandledEventTypes.Except(infra.EventTypes, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Event type {type} is handled by the app but the Bicep event subscription does not include it.");
        }

        foreach (var type in infra.EventTypes.Except(app.HandledEventTypes, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Event type {type} is included by the Bicep event subscription but the app ignores it.");
        }

        foreach (var operation in app.HandledOperations.Except(infra.EventOperations, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Operation {operation} is handled by the app but the Bicep event filter drops it.");
        }

        foreach (var operation in infra.EventOperations.Except(app.HandledOperations, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"Operation {operation} passes the Bicep event filter but the app ignores it.");
        }

        foreach (var queue in infra.Functions.SelectMany(f => f.Queues).Distinct(StringComparer.Ordinal).Except(infra.BicepLiterals, StringComparer.Ordinal))
        {
            problems.Add($"Queue {queue} of the function definitions is not created by the Bicep files.");
        }
    }

    private static void Secrets(InfraDocuments documents, InfraModel infra, List<string> problems)
    {
        foreach (var (file, text) in documents.Bicep)
        {
            foreach (Match forbidden in ForbiddenPattern().Matches(text))
            {
                problems.Add($"{file} contains '{forbidden.Value}': no keys or secrets in the infrastructure.");
            }

            foreach (var (name, expression) in BicepText.Outputs(text).Where(o => SecretNamePattern().IsMatch(o.Name) || SecretNamePattern().IsMatch(o.Expression)))
            {
                problems.Add($"{file}: output {name} may expose a key or secret ({expression}).");
            }
        }

        foreach (var (file, name, value) in infra.AppSettings.Where(s => SecretNamePattern().IsMatch(s.Name)))
        {
            // The Application Insights connection string identifies the component; with local auth disabled it grants nothing.
            var allowed = name == "APPLICATIONINSIGHTS_CONNECTION_STRING"
                ? value.EndsWith(".properties.ConnectionString", StringComparison.Ordinal)
                : value == "''";
            if (!allowed)
            {
                problems.Add($"{file}: app setting {name} must not carry a key or secret (value {value}); the app signs in with its managed identity.");
            }
        }
    }

    [GeneratedRegex(@"listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessKey|@secure\(\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForbiddenPattern();

    [GeneratedRegex(@"key|secret|password|connectionstring|connection_string|token", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretNamePattern();
}
