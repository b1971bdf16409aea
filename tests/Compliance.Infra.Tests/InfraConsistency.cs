using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// Checks that the infrastructure and the code agree, and that the infrastructure holds no secret. Each problem is one
/// line naming the setting, function, queue, role, action or file; none means they agree.
/// </summary>
internal static partial class InfraConsistency
{
    /// <summary>Event Grid's limit on advanced-filter values, counted across all the filters of one event subscription.</summary>
    public const int MaxAdvancedFilterValues = 25;

    /// <summary>
    /// Settings the app binds that the deployment leaves out on purpose, each with its reason. One the Bicep sets anyway,
    /// or one the app no longer reads, is a problem too, so the list cannot go stale unnoticed.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NotDeployed = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Compliance__Storage__ConnectionString"] = "an override for Azurite and the CLI: in Azure the app reaches storage through AzureWebJobsStorage with its managed identity, and the account takes no keys",
        ["Compliance__Storage__TableServiceUri"] = "an override: in Azure the app takes the Table endpoint of AzureWebJobsStorage (AzureWebJobsStorage__tableServiceUri)",
        ["Compliance__Storage__QueueServiceUri"] = "an override: in Azure the app takes the Queue endpoint of AzureWebJobsStorage (AzureWebJobsStorage__queueServiceUri)",
    };

    private const string OperationKey = "data.operationName";
    private const string StorageQueue = "StorageQueue";
    private const string SystemAssigned = "SystemAssigned";

    // Settings the Functions host and the platform read (the app reads the AzureWebJobsStorage ones too), not options.
    private static readonly string[] _hostSettingsInAzure =
    [
        "AzureWebJobsStorage__accountName",
        "AzureWebJobsStorage__blobServiceUri",
        "AzureWebJobsStorage__queueServiceUri",
        "AzureWebJobsStorage__tableServiceUri",
        "AzureWebJobsStorage__credential",
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING",
    ];

    private static readonly string[] _hostSettingsLocally = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    // The built-in roles the deployment grants, and who needs each.
    private static readonly (string Id, string Name, string Why)[] _requiredRoles =
    [
        ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", "the host keeps its leases, timer schedule and deployment package in blobs"),
        ("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor", "the app drains both queues and writes batches"),
        ("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor", "the app keeps its state in tables"),
        ("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender", "Event Grid delivers to the event queue with the system topic's identity"),
        ("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor", "Event Grid dead-letters with the system topic's identity"),
    ];

    public static IReadOnlyList<string> Check(InfraDocuments documents, AppModel app)
    {
        var infra = InfraModel.Read(documents);
        var problems = new List<string>();
        Functions(infra, problems);
        Settings(infra, app, problems);
        Runtime(infra, app, problems);
        Permissions(infra, app, problems);
        Roles(infra, problems);
        Queues(infra, problems);
        Events(infra, app, problems);
        Secrets(documents, infra, problems);
        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The queue a binding names, its <c>%NAME%</c> settings replaced by their values in <paramref name="settings"/>; null when one has none.</summary>
    public static string? QueueOf(FunctionBinding binding, Func<string, string?> settings)
    {
        if (binding.QueueName is not { } queue)
        {
            return null;
        }

        var values = SettingReference().Matches(queue).Select(m => settings(m.Groups[1].Value)).ToList();
        if (values.Contains(null))
        {
            return null;
        }

        var next = 0;
        return SettingReference().Replace(queue, _ => values[next++]!);
    }

    private static void Functions(InfraModel infra, List<string> problems)
    {
        foreach (var duplicate in infra.Functions.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Function {duplicate.Key} is defined more than once in {FunctionsMetadata.FileName}.");
        }

        foreach (var function in infra.Functions.Where(f => f.Triggers.Count() != 1))
        {
            problems.Add($"Function {function.Name} has {function.Triggers.Count()} triggers; a function has exactly one.");
        }
    }

    private static void Settings(InfraModel infra, AppModel app, List<string> problems)
    {
        var bicep = infra.AppSettings.Select(s => s.Name).ToList();
        var local = infra.LocalSettings.Keys.ToList();
        var named = infra.Functions
            .SelectMany(f => f.Bindings.SelectMany(b => b.SettingReferences.Select(r => (Function: f.Name, Binding: b.Name, r.Property, r.Setting))))
            .Distinct()
            .ToList();
        var read = app.BoundSettings.Concat(named.Select(n => n.Setting)).ToHashSet(StringComparer.Ordinal);

        foreach (var duplicate in bicep.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Setting {duplicate.Key} is set more than once in the Bicep app settings.");
        }

        foreach (var setting in app.BoundSettings)
        {
            if (NotDeployed.TryGetValue(setting, out var reason))
            {
                if (bicep.Contains(setting, StringComparer.Ordinal))
                {
                    problems.Add($"Setting {setting} is deliberately not deployed ({reason}) but the Bicep app settings set it.");
                }
            }
            else if (!bicep.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is read by the app but not set in the Bicep app settings.");
            }

            if (!local.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is read by the app but missing from {InfraDocuments.LocalSettings}.");
            }
        }

        foreach (var setting in NotDeployed.Keys.Except(app.BoundSettings, StringComparer.Ordinal))
        {
            problems.Add($"Setting {setting} is listed as deliberately not deployed but the app does not read it.");
        }

        foreach (var (function, binding, property, setting) in named)
        {
            if (!bicep.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is named by function {function} ({binding}.{property}) but not set in the Bicep app settings.");
            }

            if (!local.Contains(setting, StringComparer.Ordinal))
            {
                problems.Add($"Setting {setting} is named by function {function} ({binding}.{property}) but missing from {InfraDocuments.LocalSettings}.");
            }
        }

        foreach (var setting in bicep.Except(read, StringComparer.Ordinal).Except(_hostSettingsInAzure, StringComparer.Ordinal))
        {
            problems.Add($"Setting {setting} is set in the Bicep app settings but the app does not read it.");
        }

        foreach (var setting in local.Except(read, StringComparer.Ordinal).Except(_hostSettingsLocally, StringComparer.Ordinal))
        {
            problems.Add($"Setting {setting} is in {InfraDocuments.LocalSettings} but the app does not read it.");
        }

        foreach (var host in _hostSettingsInAzure.Except(bicep, StringComparer.Ordinal))
        {
            problems.Add($"Setting {host} (read by the Functions host) is not set in the Bicep app settings.");
        }

        // A connection is a setting of that name (a connection string) or a group of NAME__ settings (an identity).
        foreach (var (function, binding, connection) in infra.Functions.SelectMany(f => f.Bindings.Where(b => b.Connection is not null).Select(b => (f.Name, b.Name, b.Connection!))).Distinct())
        {
            bool Configures(string name) => name == connection || name.StartsWith(connection + "__", StringComparison.Ordinal);
            if (!bicep.Any(Configures))
            {
                problems.Add($"Function {function} ({binding}) connects with {connection}, which the Bicep app settings do not configure ({connection} or {connection}__*).");
            }

            if (!local.Any(Configures))
            {
                problems.Add($"Function {function} ({binding}) connects with {connection}, which {InfraDocuments.LocalSettings} does not configure.");
            }
        }
    }

    private static void Runtime(InfraModel infra, AppModel app, List<string> problems)
    {
        if (infra.RuntimeName is not { } runtime)
        {
            problems.Add("The Bicep function app names no runtime (functionAppConfig.runtime).");
            return;
        }

        foreach (var language in infra.Functions.GroupBy(f => f.Language, StringComparer.Ordinal).Where(g => !g.Key.Equals(runtime, StringComparison.OrdinalIgnoreCase)))
        {
            problems.Add($"The Bicep runtime is {runtime}, but {FunctionsMetadata.FileName} has {string.Join(", ", language.Select(f => f.Name))} run on '{language.Key}'.");
        }

        var worker = infra.LocalSettings.GetValueOrDefault("FUNCTIONS_WORKER_RUNTIME");
        if (!runtime.Equals(worker, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"The Bicep runtime is {runtime}, but {InfraDocuments.LocalSettings} sets FUNCTIONS_WORKER_RUNTIME to '{worker}'.");
        }

        if (infra.RuntimeVersion != app.RuntimeVersion)
        {
            problems.Add($"The Bicep runtime version is {infra.RuntimeVersion ?? "(none)"}, but the Functions app targets .NET {app.RuntimeVersion}.");
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

        foreach (var action in app.RemediationArmActions.Except(infra.RemediatorRoleActions, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"ARM action {action} is used by remediation but missing from the Bicep remediator role.");
        }

        foreach (var action in infra.RemediatorRoleActions.Except(app.RemediationArmActions, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"ARM action {action} is granted by the Bicep remediator role but remediation does not use it.");
        }

        // The scanner role, deployed always, must never hold an action that changes a machine.
        foreach (var action in infra.RoleActions.Intersect(app.RemediationArmActions, StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"ARM action {action} is a remediation action but the Bicep scanner role grants it, whether remediation is on or off.");
        }

        foreach (var wildcard in infra.RoleActions.Concat(infra.RemediatorRoleActions).Where(a => a.Contains('*', StringComparison.Ordinal)))
        {
            problems.Add($"ARM action {wildcard} in the Bicep custom role is a wildcard.");
        }
    }

    private static void Roles(InfraModel infra, List<string> problems)
    {
        foreach (var (id, name, why) in _requiredRoles.Where(r => !infra.AssignedRoles.Contains(r.Id, StringComparer.Ordinal)))
        {
            problems.Add($"Role {name} ({id}) is assigned by no Bicep file, but {why}.");
        }
    }

    private static void Queues(InfraModel infra, List<string> problems)
    {
        foreach (var function in infra.Functions)
        {
            foreach (var binding in function.Bindings.Where(b => b.QueueName is not null))
            {
                var queue = QueueOf(binding, infra.AppSettingValue);
                if (queue is null)
                {
                    // A setting the Bicep does not set is reported above; one it sets to a runtime value is not a name.
                    if (binding.SettingReferences.All(r => infra.AppSettingValues.ContainsKey(r.Setting)))
                    {
                        problems.Add($"Queue {binding.QueueName} of function {function.Name} ({binding.Name}) has no fixed name in the Bicep app settings.");
                    }

                    continue;
                }

                if (!infra.Queues.Contains(queue, StringComparer.Ordinal))
                {
                    problems.Add($"Queue {queue} of function {function.Name} ({binding.Name}) is not created by the Bicep files.");
                }

                if (QueueOf(binding, infra.LocalSettings.GetValueOrDefault) is { } sample && sample != queue)
                {
                    problems.Add($"Queue {binding.QueueName} of function {function.Name} ({binding.Name}) is {queue} in the Bicep app settings but {sample} in {InfraDocuments.LocalSettings}.");
                }
            }
        }
    }

    private static void Events(InfraModel infra, AppModel app, List<string> problems)
    {
        if (infra.EventSubscriptions.Count == 0)
        {
            problems.Add("No Bicep event subscription delivers the subscription's resource changes.");
        }

        var triggered = infra.Functions
            .SelectMany(f => f.Triggers.Where(t => t.Type == "queueTrigger").Select(t => (Function: f.Name, Queue: QueueOf(t, infra.AppSettingValue))))
            .ToList();

        foreach (var subscription in infra.EventSubscriptions)
        {
            var where = $"The Bicep event subscription in {subscription.File}";
            if (subscription.EndpointType != StorageQueue)
            {
                problems.Add($"{where} delivers to {subscription.EndpointType ?? "no destination"}; events go to a storage queue of the app's account, to nothing internet-facing.");
            }
            else if (subscription.Queue is not { } queue)
            {
                problems.Add($"{where} delivers to a queue with no fixed name.");
            }
            else
            {
                if (!infra.Queues.Contains(queue, StringComparer.Ordinal))
                {
                    problems.Add($"{where} delivers to queue {queue}, which the Bicep files do not create.");
                }

                if (!triggered.Any(t => t.Queue == queue))
                {
                    problems.Add($"{where} delivers to queue {queue}, which no function triggers on.");
                }
            }

            if (subscription.DeliveryIdentity != SystemAssigned)
            {
                problems.Add($"{where} does not deliver with the system topic's identity (deliveryWithResourceIdentity, {SystemAssigned}); the storage account takes no keys.");
            }

            if (subscription.DeadLetterEndpointType != "StorageBlob" || subscription.DeadLetterIdentity != SystemAssigned)
            {
                problems.Add($"{where} does not dead-letter to a blob container with the system topic's identity (deadLetterWithResourceIdentity, {SystemAssigned}).");
            }

            foreach (var type in app.HandledEventTypes.Except(subscription.EventTypes, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"Event type {type} is handled by the app but the Bicep event subscription does not include it.");
            }

            foreach (var type in subscription.EventTypes.Except(app.HandledEventTypes, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"Event type {type} is included by the Bicep event subscription but the app ignores it.");
            }

            var values = subscription.Filters.Sum(f => f.Values.Count);
            if (values > MaxAdvancedFilterValues)
            {
                problems.Add($"{where} has {values} advanced-filter values; Event Grid allows {MaxAdvancedFilterValues} in all.");
            }

            OperationFilter(subscription, app, problems);
        }
    }

    // What the filters on data.operationName let through, against what the app handles and what it does itself.
    private static void OperationFilter(EventSubscriptionDefinition subscription, AppModel app, List<string> problems)
    {
        var filters = subscription.Filters.Where(f => f.Key == OperationKey).ToList();
        foreach (var filter in filters.Where(f => f.Admits(string.Empty) is null))
        {
            problems.Add($"Advanced filter {filter.OperatorType} on {OperationKey} is not one these checks evaluate.");
        }

        bool Passes(string operation) => filters.All(f => f.Admits(operation) != false);

        foreach (var operation in app.HandledOperations.Where(o => !Passes(o)))
        {
            problems.Add($"Operation {operation} is handled by the app but the Bicep event filter drops it.");
        }

        foreach (var filter in filters.Where(f => !f.IsExclusion && f.Admits(string.Empty) is not null))
        {
            foreach (var value in filter.Values.Where(v => !app.HandledOperations.Any(o => (filter with { Values = [v] }).Admits(o) == true)))
            {
                problems.Add($"Filter value {value} ({filter.OperatorType} on {OperationKey}) lets through no operation the app handles.");
            }
        }

        // Writes and actions raise events; the app's own (Run Command) would come back to it once per machine checked.
        foreach (var operation in app.ArmActions.Where(a => !a.EndsWith("/read", StringComparison.OrdinalIgnoreCase) && !app.HandledOperations.Contains(a, StringComparer.OrdinalIgnoreCase) && Passes(a)))
        {
            problems.Add($"Operation {operation}, which the app itself performs, passes the Bicep event filter: every such call would queue an event the app ignores.");
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

        foreach (var (file, name, value) in infra.AppSettings)
        {
            if (name == "AzureWebJobsStorage")
            {
                problems.Add($"{file}: app setting AzureWebJobsStorage is a connection string; in Azure the host and the app reach storage with AzureWebJobsStorage__* and the managed identity.");
            }
            else if (SecretNamePattern().IsMatch(name))
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
    }

    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();

    [GeneratedRegex(@"listKeys|listAccountSas|listServiceSas|AccountKey=|SharedAccessKey|@secure\(\)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ForbiddenPattern();

    [GeneratedRegex(@"key|secret|password|connectionstring|connection_string|token", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretNamePattern();
}
