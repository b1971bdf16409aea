namespace Compliance.Infra.Tests;

/// <summary>
/// The infrastructure (Bicep, sample settings, function definitions) and the code agree; and each check catches a
/// change made on one side only, shown on mutated copies.
/// </summary>
public sealed class InfraConsistencyTests
{
    private static readonly InfraDocuments _documents = InfraDocuments.Load();
    private static readonly AppModel _app = AppModel.Load();

    [Fact]
    public void Check_Repository_NoProblems()
    {
        var problems = InfraConsistency.Check(_documents, _app);

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Load_Repository_ReadsEverySide()
    {
        var infra = InfraModel.Read(_documents);

        // Guards against a parser that silently reads nothing, which would make the checks above vacuous.
        Assert.True(_app.BoundSettings.Count >= 25, string.Join(", ", _app.BoundSettings));
        Assert.Contains("Compliance__Scan__Schedule", _app.BoundSettings);
        Assert.Contains("Compliance__Api__Key", _app.BoundSettings);
        Assert.Equal(_app.BoundSettings.Count + 4, infra.AppSettings.Count);
        Assert.Equal(12, infra.RoleActions.Count);
        Assert.Equal(["ResourceChanged"], infra.EventFunctionReferences);
        Assert.Equal(15, infra.EventOperations.Count);
        Assert.Equal(3, infra.EventTypes.Count);
        Assert.Equal(6, infra.Functions.Count);
    }

    public static TheoryData<string, string> OneSidedSettingChanges => new()
    {
        { "bicep-without:Compliance__Scan__BatchSize", "Setting Compliance__Scan__BatchSize is read by the app but not set in the Bicep app settings." },
        { "bicep-without:Compliance__Scan__Schedule", "Function ScheduledScan takes its schedule from Compliance__Scan__Schedule, which the Bicep app settings do not set." },
        { "bicep-without:AzureWebJobsStorage__accountName", "Setting AzureWebJobsStorage__accountName (read by the Functions host) is not set in the Bicep app settings." },
        { "local-without:Compliance__Notifications__Source", "Setting Compliance__Notifications__Source is read by the app but missing from local.settings.sample.json." },
        { "bicep-extra:Compliance__Scan__Forgotten", "Setting Compliance__Scan__Forgotten is set in the Bicep app settings but the app does not read it." },
        { "local-extra:Compliance__Scan__Forgotten", "Setting Compliance__Scan__Forgotten is in local.settings.sample.json but the app does not read it." },
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
        Assert.Contains("Setting Compliance__Scan__MaxConcurrency is in local.settings.sample.json but the app does not read it.", problems);
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
    public void Check_WildcardRoleAction_NamesIt()
    {
        var file = _documents.BicepFileWith("'Microsoft.Compute/virtualMachines/read'");
        var documents = _documents.Change(file, text => text.Replace("'Microsoft.Compute/virtualMachines/read'", "'Microsoft.Compute/*'", StringComparison.Ordinal));

        Assert.Contains("ARM action Microsoft.Compute/* in the Bicep custom role is a wildcard.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_EventFunctionRenamedInBicep_NamesBothSides()
    {
        var file = _documents.BicepFileWith("/functions/ResourceChanged");
        var documents = _documents.Change(file, text => text.Replace("/functions/ResourceChanged", "/functions/ResourceChange", StringComparison.Ordinal));

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Function ResourceChanged has an eventGridTrigger but no Bicep event subscription names it.", problems);
        Assert.Contains("The Bicep event subscription names function ResourceChange, which is no function with an eventGridTrigger.", problems);
    }

    [Fact]
    public void Check_EventFunctionFolderRenamed_NamesIt()
    {
        var documents = _documents.Move($"{InfraDocuments.FunctionsFolder}ResourceChanged/function.json", $"{InfraDocuments.FunctionsFolder}OnResourceChanged/function.json");

        var problems = InfraConsistency.Check(documents, _app);

        Assert.Contains("Function OnResourceChanged has an eventGridTrigger but no Bicep event subscription names it.", problems);
        Assert.Contains("The Bicep event subscription names function ResourceChanged, which is no function with an eventGridTrigger.", problems);
    }

    [Fact]
    public void Check_OperationRemovedFromTheEventFilter_NamesIt()
    {
        const string operation = "Microsoft.Compute/virtualMachines/start/action";
        var documents = _documents.Change(_documents.BicepFileWith($"'{operation}'"), text => RemoveLine(text, $"'{operation}'"));

        Assert.Contains($"Operation {operation} is handled by the app but the Bicep event filter drops it.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_OperationTheAppIgnores_NamesIt()
    {
        const string operation = "Microsoft.Compute/virtualMachines/deallocate/action";
        var file = _documents.BicepFileWith("'Microsoft.Compute/virtualMachines/start/action'");
        var documents = _documents.Change(file, text => DuplicateLine(text, "'Microsoft.Compute/virtualMachines/start/action'", "Microsoft.Compute/virtualMachines/start/action", operation));

        Assert.Contains($"Operation {operation} passes the Bicep event filter but the app ignores it.", InfraConsistency.Check(documents, _app));
    }

    [Fact]
    public void Check_EventTypeNoLongerHandled_NamesIt()
    {
        var app = _app with { HandledEventTypes = _app.HandledEventTypes.Where(t => t != "Microsoft.Resources.ResourceDeleteSuccess").ToList() };

        Assert.Contains("Event type Microsoft.Resources.ResourceDeleteSuccess is included by the Bicep event subscription but the app ignores it.", InfraConsistency.Check(_documents, app));
    }

    [Fact]
    public void Check_QueueRenamedInAFunction_NamesIt()
    {
        var path = $"{InfraDocuments.FunctionsFolder}CheckMachines/function.json";
        var documents = _documents.Change(path, text => text.Replace("\"compliance-batches\"", "\"compliance-work\"", StringComparison.Ordinal));

        Assert.Contains("Queue compliance-work of the function definitions is not created by the Bicep files.", InfraConsistency.Check(documents, _app));
    }

    [Theory]
    [InlineData("output storageKey string = storage.listKeys().keys[0].value", "contains 'listKeys'")]
    [InlineData("@secure()\nparam webhookSecret string", "contains '@secure()'")]
    [InlineData("var connection = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=abc'", "contains 'AccountKey='")]
    [InlineData("output topicSecret string = 'x'", "output topicSecret may expose a key or secret")]
    public void Check_SecretInBicep_NamesIt(string line, string expected)
    {
        var main = _documents.Bicep.Single(f => f.Key == "infra/main.bicep").Key;
        var documents = _documents.Change(main, text => text + Environment.NewLine + line + Environment.NewLine);

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Compliance__Notifications__EventGrid__TopicKey")]
    [InlineData("Compliance__Storage__ConnectionString")]
    [InlineData("Compliance__Api__Key")]
    [InlineData("Compliance__Notifications__Webhook__Secret")]
    public void Check_KeyShapedSettingWithAValue_NamesIt(string setting)
    {
        var file = _documents.BicepFileWith($"name: '{setting}'");
        var documents = _documents.Change(file, text => string.Join('\n', text.Split('\n').Select(l => l.Contains($"name: '{setting}'", StringComparison.Ordinal) ? l.Replace("''", "'0123456789abcdef'", StringComparison.Ordinal) : l)));

        Assert.Contains(InfraConsistency.Check(documents, _app), p => p.Contains($"app setting {setting} must not carry a key or secret", StringComparison.Ordinal));
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
