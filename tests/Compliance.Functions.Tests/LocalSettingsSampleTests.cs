using System.Reflection;
using System.Text.Json;
using Compliance.Azure.EventGrid;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Functions.Hosting;
using Microsoft.Extensions.Configuration;

namespace Compliance.Functions.Tests.Hosting;

/// <summary><c>local.settings.sample.json</c> lists every setting the app reads, and its values start the app.</summary>
public sealed class LocalSettingsSampleTests
{
    private static readonly (string Section, Type Options)[] _options =
    [
        (ScanOptions.SectionName, typeof(ScanOptions)),
        (ScanQueueOptions.SectionName, typeof(ScanQueueOptions)),
        (RulesOptions.SectionName, typeof(RulesOptions)),
        (ArmOptions.SectionName, typeof(ArmOptions)),
        (TableStoreOptions.SectionName, typeof(TableStoreOptions)),
        (NotificationOptions.SectionName, typeof(NotificationOptions)),
        (EventGridOptions.SectionName, typeof(EventGridOptions)),
        (WebhookOptions.SectionName, typeof(WebhookOptions)),
        (ApiOptions.SectionName, typeof(ApiOptions)),
    ];

    // Read by the Functions host itself, not by the app.
    private static readonly string[] _hostSettings = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    private static Dictionary<string, string> Values()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("local.settings.sample.json")));
        Assert.False(document.RootElement.GetProperty("IsEncrypted").GetBoolean());
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    private static IEnumerable<string> SettingNames() =>
        _options.SelectMany(o => o.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => $"{o.Section}:{p.Name}".Replace(":", "__", StringComparison.Ordinal)));

    [Fact]
    public void Values_EverySettingTheAppReads_ListedAndNothingElse()
    {
        var values = Values();

        Assert.Equal("custom", values["FUNCTIONS_WORKER_RUNTIME"]);
        Assert.Equal(SettingNames().Concat(_hostSettings).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Values_TimerScheduleSetting_ListedAndValid()
    {
        var definition = File.ReadAllText(RepositoryFiles.PathOf("src", "Compliance.Functions", "Functions", "ScheduledScan", "function.json"));
        using var document = JsonDocument.Parse(definition);
        var schedule = document.RootElement.GetProperty("bindings")[0].GetProperty("schedule").GetString()!;

        Assert.Matches("^%[A-Za-z_]+%$", schedule);
        var value = Values()[schedule.Trim('%')];
        Assert.Equal(ScanOptions.DefaultSchedule, value);
        Assert.True(ScanSchedule.TryParse(value, out _, out var error), error);
    }

    [Fact]
    public async Task Values_BoundByTheApp_PassValidation()
    {
        var configuration = Values().ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value);

        await using var app = ComplianceFunctionsApp.Build([], builder => builder.Configuration.AddInMemoryCollection(configuration));

        ComplianceFunctionsApp.ValidateOptions(app.Services);
    }

    [Theory]
    [InlineData("Compliance:Scan:Schedule", "every hour", "Compliance:Scan:Schedule")]
    [InlineData("Compliance:Scan:Subscriptions", "production", "is not a subscription id")]
    [InlineData("Compliance:Scan:BatchSize", "0", "BatchSize")]
    [InlineData("Compliance:Scan:MaxConcurrentBatches", "65", "MaxConcurrentBatches")]
    [InlineData("Compliance:Api:MaxPageSize", "0", "MaxPageSize")]
    [InlineData("Compliance:Api:RequestsPerMinute", "0", "RequestsPerMinute")]
    [InlineData("Compliance:Api:Key", "too-short", "at least 16 characters")]
    [InlineData("Compliance:Notifications:Webhook:Url", "http://hooks.example/compliance", "https")]
    public async Task Values_OneInvalidSetting_StartFailsNamingIt(string key, string value, string expected)
    {
        var configuration = Values().ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value);
        configuration[key] = value;

        await using var app = ComplianceFunctionsApp.Build([], builder => builder.Configuration.AddInMemoryCollection(configuration));

        var error = Assert.ThrowsAny<Exception>(() => ComplianceFunctionsApp.ValidateOptions(app.Services));
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }
}
