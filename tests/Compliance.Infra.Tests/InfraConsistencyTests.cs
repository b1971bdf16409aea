using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// The infrastructure (Bicep, sample settings, function definitions) and the code agree; and each check catches a
/// change made on one side only, shown on mutated copies.
/// </summary>
public sealed class InfraConsistencyTests
{
    private const string FunctionApp = "infra/modules/functionApp.bicep";
    private const string Storage = "infra/modules/storage.bicep";
    private const string SubscriptionEvents = "infra/modules/subscriptionEvents.bicep";

    private static readonly InfraDocuments _repository = InfraDocuments.Load();

    // The mutated copies start from the checked-in functions.metadata, so that every line they change is known.
    private static readonly InfraDocuments _documents = InfraDocuments.Load(FunctionsMetadata.PathOf());
    private static readonly AppModel _app = AppModel.Load();

    [Fact]
    public void Check_Repository_NoProblems()
    {
        var problems = InfraConsistency.Check(_repository, _app);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Check_WithTheCheckedInFunctionDefinitions_NoProblems()
    {
        var problems = InfraConsistency.Check(_documents, _app);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Load_Repository_ReadsEverySide()
    {
        var infra = InfraModel.Read(_repository);

        // Guards against a parser that silently reads nothing, which would make the checks above vacuous.
        Assert.True(_app.BoundSettings.Count >= 25, string.Join(", ", _app.BoundSettings));
        Assert.Contains("Compliance__Scan__Schedule", _app.BoundSettings);
        Assert.Contains("Compliance__Api__Key", _app.BoundSettings);
        var namedOnly = infra.Functions.SelectMany(f => f.Bindings).SelectMany(b => b.SettingReferences).Select(r => r.Setting).Distinct().Except(_app.BoundSettings).ToList();
        Assert.Contains("Compliance__Events__QueueName", namedOnly.Concat(_app.BoundSettings));
        Assert.Equal(_app.BoundSettings.Count - InfraConsistency.NotDeployed.Count + namedOnly.Count + 7, infra.AppSettings.Count);
        Assert.Equal(12, infra.RoleActions.Count);
        Assert.Equal(3, infra.RemediatorRoleActions.Count);
        Assert.Equal(24, infra.Functions.Count);
        Assert.Equal(["compliance-batches", "compliance-batches-poison", "remediations", "remediations-poison", "resource-changes", "resource-changes-poison", "resource-rechecks", "resource-rechecks-poison"], infra.Queues.Order(StringComparer.Ordinal));
        Assert.Equal("resource-rechecks", infra.AppSettingValue("Compliance__Events__RecheckQueueName"));
        Assert.Equal("resource-changes", infra.AppSettingValue("Compliance__Events__QueueName"));
        Assert.Equal("compliance-batches", infra.AppSettingValue("Compliance__Queue__QueueName"));
        Assert.Equal(("dotnet-isolated", "10.0"), (infra.RuntimeName, infra.RuntimeVersion));
        Assert.Equal("10.0", _app.RuntimeVersion);
        var subscription = Assert.Single(infra.EventSubscriptions);
        Assert.Equal(("StorageQueue", "resource-changes"), (subscription.EndpointType, subscription.Queue));
        Assert.Equal(3, subscription.EventTypes.Count);
        Assert.Single(subscription.Filters);
        Assert.Equal(44, _app.HandledOperations.Count);
    }

    public static TheoryData<string, string> OneSidedSettingChanges => new()
    {
        { "bicep-without:Compliance__Scan__BatchSize", "Setting Compliance__Scan__BatchSize is read by the app but not set in the Bicep app settings." },
        { "bicep-without:Compliance__Scan__Schedule", "Setting Compliance__Scan__Schedule is named by function ScheduledScan (timer.schedule) but not set in the Bicep app settings." },
        { "bicep-without:Compliance__Events__QueueName", "Setting Compliance__Events__QueueName is named by function ResourceChanged (message.queueName) but not set in the Bicep app settings." },
        { "bicep-without:AzureWebJobsStorage__accountName", "Setting AzureWebJobsStorage__accountName (read by the Functions host) is not set in the Bicep app settings." },
        { "bicep-without:AzureWebJobsStorage__queueServiceUri", "Setting AzureWebJobsStorage__queueServiceUri (read by the Functions host) is not set in the Bicep app settings." },
        { "local-without:Compliance__Notifications__Source", $"Setting Compliance__Notifications__Source is read by the app but missing from {InfraDocuments.LocalSettings}." },
        { "local-without:Compliance__Events__QueueName", $"Setting Compliance__Events__QueueName is named by function ResourceChanged (message.queueName) but missing from {InfraDocuments.LocalSettings}." },
        { "local-without:Compliance__Storage__ConnectionString", $"Setting Compliance__Storage__ConnectionString is read by the app but missing from {InfraDocuments.LocalSettings}." },
        { "bicep-extra:Compliance__Scan__Forgotten", "Setting Compliance__Scan__Forgotten is set in the Bicep app settings but the app does not read it." },
        { "local-extra:Compliance__Scan__Forgotten", $"Setting Compliance__Scan__Forgotten is in {InfraDocuments.LocalSettings} but the app does not read it." },
    };

    [Theory]
    [MemberData(nameof(OneSidedSettingChanges))]
    public void Check_SettingChangedOnOneSide_NamesIt(string change, string expected)
    {
        var (kind, setting) = (change.Split(':')[0], change.Split(':')[1]);
        var documents = kind switch
        {
            "bicep-without" => _documents.Change(_documents.BicepFileWith($"name: '{setting}'"), text => RemoveLine(text, $"name: '{setting}'")),
            "local-without" => _documents.Change(InfraDocuments.LocalSettings, text => RemoveLine(text, $"\"{setting}\"")),
            "bicep-extra" => _documents.Change(_documents.BicepFileWith("name: 'Compliance__Scan__Schedule'"), text => DuplicateLine(text, "name: 'Compliance__Scan__Schedule'", "Compliance__Scan__Schedule", setting)),
            "local-extra" => _documents.Change(InfraDocuments.LocalSettings, text => DuplicateLine(text, "\"Compliance__Scan__Schedule\"", "Compliance__Scan__Schedule", setting)),
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };

        Assert.Contains(expected, InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_SettingNoLongerReadByTheApp_NamesItOnBothOtherSides()
    {
        var app = _app with { BoundSettings = _app.BoundSettings.Where(s => s != "Compliance__Scan__MaxConcurrency").ToList() };

        var problems = InfraConsistency.Check(_documents, app);

        Assert.Contains("Setting Compliance__Scan__MaxConcurrency is set in the Bicep app settings but the app does not read it.", problems);
        Assert.Contains($"Setting Compliance__Scan__MaxConcurrency is in {InfraDocuments.LocalSettings} but the app does not read it.", problems);
    }

    [Theory]
    [InlineData("Compliance__Storage__ConnectionString")]
    [InlineData("Compliance__Storage__TableServiceUri")]
    [InlineData("Compliance__Storage__QueueServiceUri")]
    public void Check_SettingDeliberatelyNotDeployedSetInBicep_NamesIt(string setting)
    {
        var documents = _documents.Change(FunctionApp, text => DuplicateLine(text, "name: 'Compliance__Storage__TablePrefix'", "Compliance__Storage__TablePrefix", setting));

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.StartsWith($"Setting {setting} is deliberately not deployed (", StringComparison.Ordinal) && p.EndsWith(") but the Bicep app settings set it.", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_SettingDeliberatelyNotDeployedNoLongerRead_NamesIt()
    {
        var app = _app with { BoundSettings = _app.BoundSettings.Where(s => s != "Compliance__Storage__QueueServiceUri").ToList() };

        Assert.Contains("Setting Compliance__Storage__QueueServiceUri is listed as deliberately not deployed but the app does not read it.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void NotDeployed_EverySetting_HasAReason() =>
        Assert.All(InfraConsistency.NotDeployed, entry => Assert.True(entry.Value.Length > 20, $"{entry.Key} is not deployed without a reason."));

    [Fact]
    public void Check_BindingNamesASettingNowhereSet_NamesBothSides()
    {
        var documents = _documents.ChangeBinding("CheckMachines", "message", binding => binding["queueName"] = "%Compliance__Queue__Other%");

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Setting Compliance__Queue__Other is named by function CheckMachines (message.queueName) but not set in the Bicep app settings.", problems);
        Assert.Contains($"Setting Compliance__Queue__Other is named by function CheckMachines (message.queueName) but missing from {InfraDocuments.LocalSettings}.", problems);
    }

    [Fact]
    public void Check_BindingConnectionNotConfigured_NamesBothSides()
    {
        var documents = _documents.ChangeBinding("ResourceChanged", "message", binding => binding["connection"] = "EventStorage");

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Function ResourceChanged (message) connects with EventStorage, which the Bicep app settings do not configure (EventStorage or EventStorage__*).", problems);
        Assert.Contains($"Function ResourceChanged (message) connects with EventStorage, which {InfraDocuments.LocalSettings} does not configure.", problems);
    }

    [Fact]
    public void Check_RuntimeChangedInBicep_NamesTheFunctionsAndTheSample()
    {
        var documents = _documents.Change(FunctionApp, text => text.Replace("name: 'dotnet-isolated'", "name: 'custom'", StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        var functions = Assert.Single(problems, p => p.StartsWith($"The Bicep runtime is custom, but {FunctionsMetadata.FileName} has ", StringComparison.Ordinal) && p.EndsWith(" run on 'dotnet-isolated'.", StringComparison.Ordinal));
        Assert.All(["ScheduledScan", "CheckMachines", "ResourceChanged", "StartScan"], name => Assert.Contains(name, functions, StringComparison.Ordinal));
        Assert.Contains($"The Bicep runtime is custom, but {InfraDocuments.LocalSettings} sets FUNCTIONS_WORKER_RUNTIME to 'dotnet-isolated'.", problems);
    }

    [Fact]
    public void Check_FunctionOnAnotherWorker_NamesIt()
    {
        var documents = _documents.ChangeFunction("Health", function => function["language"] = "custom");

        Assert.Contains($"The Bicep runtime is dotnet-isolated, but {FunctionsMetadata.FileName} has Health run on 'custom'.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_RuntimeVersionNotTheTargetFramework_NamesIt()
    {
        var documents = _documents.Change(FunctionApp, text => text.Replace("version: '10.0'", "version: '9.0'", StringComparison.Ordinal));
        var app = _app with { RuntimeVersion = "11.0" };

        Assert.Contains("The Bicep runtime version is 9.0, but the Functions app targets .NET 10.0.", InfraConsistency.Check(documents, _app));
        Assert.Contains("The Bicep runtime version is 10.0, but the Functions app targets .NET 11.0.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_FunctionDefinedTwiceOrWithTwoTriggers_NamesIt()
    {
        var renamed = _documents.Move("Summary", "Health");
        var twoTriggers = _documents.ChangeBinding("ScheduledScan", "$return", binding =>
        {
            binding["direction"] = "In";
            binding["type"] = "queueTrigger";
        });

        Assert.Contains($"Function Health is defined more than once in {FunctionsMetadata.FileName}.", InfraConsistency.Check(renamed, _app));
        Assert.Contains("Function ScheduledScan has 2 triggers; a function has exactly one.", InfraConsistency.Check(twoTriggers, _app));
    }

    [Fact]
    public void Check_RoleActionRemovedFromBicep_NamesIt()
    {
        const string action = "Microsoft.Compute/virtualMachines/runCommand/action";
        var documents = _documents.Change(_documents.BicepFileWith($"'{action}'"), text => RemoveLine(text, $"'{action}'"));

        Assert.Contains($"ARM action {action} is used by the app but missing from the Bicep custom role.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_RoleActionTheCodeNoLongerUses_NamesIt()
    {
        const string action = "Microsoft.Compute/cloudServices/roleInstances/read";
        var app = _app with { ArmActions = _app.ArmActions.Where(a => a != action).ToList() };

        Assert.Contains($"ARM action {action} is granted by the Bicep custom role but the app does not use it.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_RemediationActionRemovedFromTheRemediatorRole_NamesIt()
    {
        const string action = "Microsoft.Compute/virtualMachines/installPatches/action";
        var documents = _documents.Change(InfraModel.RemediatorRoleFile, text => RemoveLine(text, $"'{action}'"));

        Assert.Contains($"ARM action {action} is used by remediation but missing from the Bicep remediator role.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_RemediatorRoleActionRemediationNoLongerUses_NamesIt()
    {
        const string action = "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action";
        var app = _app with { RemediationArmActions = _app.RemediationArmActions.Where(a => a != action).ToList() };

        Assert.Contains($"ARM action {action} is granted by the Bicep remediator role but remediation does not use it.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_RemediationActionInTheScannerRole_NamesIt()
    {
        const string action = "Microsoft.Compute/virtualMachines/installPatches/action";
        var scanner = _documents.BicepFileWith("'Microsoft.Compute/virtualMachines/runCommand/action'");
        var documents = _documents.Change(scanner, text => text.Replace(
            "'Microsoft.Compute/virtualMachines/runCommand/action'",
            $"'Microsoft.Compute/virtualMachines/runCommand/action'\n          '{action}'",
            StringComparison.Ordinal));

        Assert.Contains($"ARM action {action} is a remediation action but the Bicep scanner role grants it, whether remediation is on or off.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_RemediationSwitchLeftOutOfTheAppSettings_NamesIt()
    {
        var documents = _documents.Change(FunctionApp, text => RemoveLine(text, "'Compliance__Remediation__Enabled'"));

        Assert.Contains("Setting Compliance__Remediation__Enabled is read by the app but not set in the Bicep app settings.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_WildcardRoleAction_NamesIt()
    {
        var file = _documents.BicepFileWith("'Microsoft.Compute/virtualMachines/read'");
        var documents = _documents.Change(file, text => text.Replace("'Microsoft.Compute/virtualMachines/read'", "'Microsoft.Compute/*'", StringComparison.Ordinal));

        Assert.Contains("ARM action Microsoft.Compute/* in the Bicep custom role is a wildcard.", InfraConsistency.Check(documents, _app));
    }

    [Theory]
    [InlineData("974c5e8b-45b9-4653-ba55-5f855dd0fb88", "Storage Queue Data Contributor")]
    [InlineData("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", "Storage Table Data Contributor")]
    [InlineData("c6a89b2d-59bc-44d0-9896-0f6e12d7b80a", "Storage Queue Data Message Sender")]
    [InlineData("ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor")]
    public void Check_RoleAssignmentRemoved_NamesTheRole(string id, string name)
    {
        var documents = _documents.Change(_documents.BicepFileWith($"'{id}'"), text => RemoveLine(text, $"'{id}'"));

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.StartsWith($"Role {name} ({id}) is assigned by no Bicep file, but ", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_BatchQueueNoLongerCreated_NamesEveryFunctionThatBindsIt()
    {
        var documents = _documents.Change(Storage, text => text.Replace("name: 'compliance-batches'", "name: 'compliance-work'", StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Queue compliance-batches of function CheckMachines (message) is not created by the Bicep files.", problems);
        Assert.Contains("Queue compliance-batches of function ScheduledScan ($return) is not created by the Bicep files.", problems);
    }

    [Fact]
    public void Check_EventQueueRenamedInTheStorageModule_FollowsTheWiringAndNamesOnlyTheSample()
    {
        // main.bicep hands the storage module's queue name to the app's setting and to the event subscription alike.
        var documents = _documents.Change(Storage, text => text.Replace("param eventQueueName string = 'resource-changes'", "param eventQueueName string = 'resource-events'", StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Equal([$"Queue %Compliance__Events__QueueName% of function ResourceChanged (message) is resource-events in the Bicep app settings but resource-changes in {InfraDocuments.LocalSettings}."], problems);
    }

    [Fact]
    public void Check_EventSubscriptionToAnotherQueue_NamesIt()
    {
        var documents = _documents.Change(InfraDocuments.MainBicep, text => text.Replace("queueName: storage.outputs.eventQueueName", "queueName: 'resource-events'", StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} delivers to queue resource-events, which the Bicep files do not create.", problems);
        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} delivers to queue resource-events, which no function triggers on.", problems);
    }

    [Fact]
    public void Check_EventFunctionTriggersOnAnotherQueue_NamesTheEventQueue()
    {
        var documents = _documents.ChangeBinding("ResourceChanged", "message", binding => binding["queueName"] = "%Compliance__Queue__QueueName%");

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} delivers to queue resource-changes, which no function triggers on.", problems);
    }

    [Fact]
    public void Check_QueueSettingWithoutAFixedValue_NamesIt()
    {
        var documents = _documents.Change(FunctionApp, text => text.Replace("value: eventQueueName }", "value: toLower(eventQueueName) }", StringComparison.Ordinal));

        Assert.Contains("Queue %Compliance__Events__QueueName% of function ResourceChanged (message) has no fixed name in the Bicep app settings.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_QueueNameDiffersInTheSample_NamesIt()
    {
        var documents = _documents.Change(InfraDocuments.LocalSettings, text => text.Replace("\"compliance-batches\"", "\"compliance-work\"", StringComparison.Ordinal));

        Assert.Contains($"Queue %Compliance__Queue__QueueName% of function CheckMachines (message) is compliance-batches in the Bicep app settings but compliance-work in {InfraDocuments.LocalSettings}.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_EventsDeliveredToAnEndpoint_NamesIt()
    {
        var documents = _documents.Change(SubscriptionEvents, text => text.Replace("endpointType: 'StorageQueue'", "endpointType: 'WebHook'", StringComparison.Ordinal));

        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} delivers to WebHook; events go to a storage queue of the app's account, to nothing internet-facing.", InfraConsistency.Check(documents, _app));
    }

    [Theory]
    [InlineData("deliveryWithResourceIdentity", "does not deliver with the system topic's identity (deliveryWithResourceIdentity, SystemAssigned); the storage account takes no keys.")]
    [InlineData("deadLetterWithResourceIdentity", "does not dead-letter to a blob container with the system topic's identity (deadLetterWithResourceIdentity, SystemAssigned).")]
    public void Check_EventSubscriptionWithoutTheTopicsIdentity_NamesIt(string property, string expected)
    {
        var documents = _documents.Change(SubscriptionEvents, text => new Regex($@"{property}: \{{\s*identity: \{{\s*type: 'SystemAssigned'\s*\}}").Replace(text, $"{property}: {{"));

        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} {expected}", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_EventTypeNoLongerHandled_NamesIt()
    {
        var app = _app with { HandledEventTypes = _app.HandledEventTypes.Where(t => t != "Microsoft.Resources.ResourceDeleteSuccess").ToList() };

        Assert.Contains("Event type Microsoft.Resources.ResourceDeleteSuccess is included by the Bicep event subscription but the app ignores it.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_EventTypeLeftOutOfTheSubscription_NamesIt()
    {
        var documents = _documents.Change(SubscriptionEvents, text => RemoveLine(text, "'Microsoft.Resources.ResourceDeleteSuccess'"));

        Assert.Contains("Event type Microsoft.Resources.ResourceDeleteSuccess is handled by the app but the Bicep event subscription does not include it.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_PrefixRemovedFromTheEventFilter_NamesTheOperationsItDrops()
    {
        var documents = _documents.Change(SubscriptionEvents, text => RemoveLine(text, "'Microsoft.Compute/cloudServices/'"));

        var problems = InfraConsistency.Check(documents, _app);

        foreach (var operation in _app.HandledOperations.Where(o => o.StartsWith("Microsoft.Compute/cloudServices/", StringComparison.Ordinal)))
        {
            Assert.Contains($"Operation {operation} is handled by the app but the Bicep event filter drops it.", problems);
        }
    }

    [Fact]
    public void Check_OperationTheAppNoLongerHandles_NamesThePrefixThatPassesOnlyIt()
    {
        var app = _app with { HandledOperations = _app.HandledOperations.Where(o => !o.StartsWith("Microsoft.Compute/cloudServices/", StringComparison.Ordinal)).ToList() };

        Assert.Contains("Filter value Microsoft.Compute/cloudServices/ (StringBeginsWith on data.operationName) lets through no operation the app handles.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_PrefixOfNothingTheAppHandles_NamesIt()
    {
        var documents = _documents.Change(SubscriptionEvents, text => DuplicateLine(text, "'Microsoft.Compute/cloudServices/'", "Microsoft.Compute/cloudServices/", "Microsoft.Storage/storageAccounts/"));

        Assert.Contains("Filter value Microsoft.Storage/storageAccounts/ (StringBeginsWith on data.operationName) lets through no operation the app handles.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_RunCommandsDroppedByTheEventFilter_NamesThem()
    {
        // Someone else's Run Command can change a guest: only the app, which knows who it is, may drop its own.
        var documents = _documents.Change(SubscriptionEvents, text => text.Replace(
            "      advancedFilters: [\n",
            "      advancedFilters: [\n        {\n          operatorType: 'StringNotEndsWith'\n          key: 'data.operationName'\n          values: [\n            '/runCommand/action'\n          ]\n        }\n",
            StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Operation Microsoft.Compute/virtualMachines/runCommand/action is handled by the app but the Bicep event filter drops it.", problems);
        Assert.Contains("Operation Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action is handled by the app but the Bicep event filter drops it.", problems);
    }

    [Fact]
    public void Check_MoreAdvancedFilterValuesThanEventGridTakes_NamesIt()
    {
        var before = Assert.Single(InfraModel.Read(_documents).EventSubscriptions).Filters.Sum(f => f.Values.Count);
        var added = InfraConsistency.MaxAdvancedFilterValues - before + 1;
        var documents = _documents.Change(SubscriptionEvents, text =>
        {
            var lines = text.Split('\n').ToList();
            var at = lines.FindIndex(l => l.Contains("'Microsoft.Compute/cloudServices/'", StringComparison.Ordinal));
            lines.InsertRange(at + 1, Enumerable.Range(1, added).Select(i => lines[at].Replace("cloudServices/", $"cloudServices/roles{i}/", StringComparison.Ordinal)));
            return string.Join('\n', lines);
        });

        Assert.Contains($"The Bicep event subscription in {SubscriptionEvents} has {InfraConsistency.MaxAdvancedFilterValues + 1} advanced-filter values; Event Grid allows {InfraConsistency.MaxAdvancedFilterValues} in all.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_OperationFilterTheChecksCannotEvaluate_NamesIt()
    {
        var documents = _documents.Change(SubscriptionEvents, text => text.Replace("operatorType: 'StringBeginsWith'", "operatorType: 'NumberNotIn'", StringComparison.Ordinal));

        Assert.Contains("Advanced filter NumberNotIn on data.operationName is not one these checks evaluate.", InfraConsistency.Check(documents, _app));
    }

    [Theory]
    [InlineData("output storageKey string = storage.listKeys().keys[0].value", "contains 'listKeys'")]
    [InlineData("@secure()\nparam webhookSecret string", "contains '@secure()'")]
    [InlineData("var connection = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc'", "contains 'AccountKey='")]
    [InlineData("output topicSecret string = 'x'", "output topicSecret may expose a key or secret")]
    public void Check_SecretInBicep_NamesIt(string line, string expected)
    {
        var documents = _documents.Change(InfraDocuments.MainBicep, text => text + Environment.NewLine + line + Environment.NewLine);

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Compliance__Notifications__EventGrid__TopicKey")]
    [InlineData("Compliance__Api__Key")]
    [InlineData("Compliance__Notifications__Webhook__Secret")]
    public void Check_KeyShapedSettingWithAValue_NamesIt(string setting)
    {
        var file = _documents.BicepFileWith($"name: '{setting}'");
        var documents = _documents.Change(file, text => string.Join('\n', text.Split('\n').Select(l => l.Contains($"name: '{setting}'", StringComparison.Ordinal) ? l.Replace("''", "'0123456789abcdef'", StringComparison.Ordinal) : l)));

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.Contains($"app setting {setting} must not carry a key or secret", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_HostStorageAsAConnectionString_NamesIt()
    {
        var documents = _documents.Change(FunctionApp, text => DuplicateLine(text, "name: 'AzureWebJobsStorage__credential'", "AzureWebJobsStorage__credential', value: 'managedidentity'", "AzureWebJobsStorage', value: 'UseDevelopmentStorage=true'"));

        Assert.Contains($"{FunctionApp}: app setting AzureWebJobsStorage is a connection string; in Azure the host and the app reach storage with AzureWebJobsStorage__* and the managed identity.", InfraConsistency.Check(documents, _app));
    }

    private static string RemoveLine(string text, string marker)
    {
        var lines = text.Split('\n').ToList();
        var index = Assert.Single(Enumerable.Range(0, lines.Count), i => lines[i].Contains(marker, StringComparison.Ordinal));
        lines.RemoveAt(index);
        return string.Join('\n', lines);
    }

    private static string DuplicateLine(string text, string marker, string from, string to)
    {
        var lines = text.Split('\n').ToList();
        var index = Assert.Single(Enumerable.Range(0, lines.Count), i => lines[i].Contains(marker, StringComparison.Ordinal));
        lines.Insert(index + 1, lines[index].Replace(from, to, StringComparison.Ordinal));
        return string.Join('\n', lines);
    }
}
