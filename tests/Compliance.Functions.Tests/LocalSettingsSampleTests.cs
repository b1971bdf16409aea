using System.Reflection;
using System.Text.Json;
using Compliance.Azure.EventGrid;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Server.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests;

/// <summary>
/// <c>src/Compliance.Functions/local.settings.sample.json</c> (the template of <c>local.settings.json</c> for
/// <c>func start</c>) lists every setting the worker reads, and its values start the worker.
/// </summary>
public sealed class LocalSettingsSampleTests
{
    private static readonly (string Section, Type Options)[] _options =
    [
        (ScanOptions.SectionName, typeof(ScanOptions)),
        (ScanQueueOptions.SectionName, typeof(ScanQueueOptions)),
        (ResourceChangeQueueOptions.SectionName, typeof(ResourceChangeQueueOptions)),
        (RulesOptions.SectionName, typeof(RulesOptions)),
        (ArmOptions.SectionName, typeof(ArmOptions)),
        (TableStoreOptions.SectionName, typeof(TableStoreOptions)),
        (NotificationOptions.SectionName, typeof(NotificationOptions)),
        (EventGridOptions.SectionName, typeof(EventGridOptions)),
        (WebhookOptions.SectionName, typeof(WebhookOptions)),
        (ApiOptions.SectionName, typeof(ApiOptions)),
        (Compliance.Core.Exemptions.ExemptionOptions.SectionName, typeof(Compliance.Core.Exemptions.ExemptionOptions)),
        (RemediationOptions.SectionName, typeof(RemediationOptions)),
    ];

    // Read by the Functions host (and AzureWebJobsStorage by the app too: its store and queues).
    private static readonly string[] _hostSettings = ["FUNCTIONS_WORKER_RUNTIME", "AzureWebJobsStorage"];

    internal static Dictionary<string, string> Values()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("src", "Compliance.Functions", "local.settings.sample.json")));
        Assert.False(document.RootElement.GetProperty("IsEncrypted").GetBoolean());
        return document.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
    }

    private static IEnumerable<string> SettingNames() =>
        _options.SelectMany(o => o.Options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.SetMethod!.IsPublic)
            .Select(p => $"{o.Section}:{p.Name}".Replace(":", "__", StringComparison.Ordinal)));

    [Fact]
    public void Values_EverySettingTheAppReads_ListedAndNothingElse()
    {
        var values = Values();

        Assert.Equal("dotnet-isolated", values["FUNCTIONS_WORKER_RUNTIME"]);
        // The remediation switch is listed whatever reads it: the deployment ties it to the remediator role.
        Assert.Equal(
            SettingNames().Append(ArmPermissions.RemediationSetting).Concat(_hostSettings).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
            values.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Values_TimerScheduleSetting_ListedAndValid()
    {
        var schedule = FunctionBinding.SettingOf(FunctionsMetadata.Load()["ScheduledScan"].Trigger.Schedule);

        Assert.NotNull(schedule);
        var value = Values()[schedule];
        Assert.Equal(ScanOptions.DefaultSchedule, value);
        Assert.True(ScanSchedule.TryParse(value, out _, out var error), error);
    }

    [Fact]
    public void Values_BoundByTheWorker_PassValidation()
    {
        var configuration = Values().ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value);

        using var worker = Worker(configuration);

        worker.Services.GetRequiredService<IStartupValidator>().Validate();
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
    public void Values_OneInvalidSetting_StartFailsNamingIt(string key, string value, string expected)
    {
        var configuration = Values().ToDictionary(v => v.Key.Replace("__", ":", StringComparison.Ordinal), v => (string?)v.Value);
        configuration[key] = value;

        using var worker = Worker(configuration);

        var error = Assert.ThrowsAny<Exception>(() => worker.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    // The worker's services on the sample's settings, as the host would start it (not started: nothing is reached).
    private static IHost Worker(Dictionary<string, string?> configuration)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(configuration);
        ComplianceWorker.AddServices(builder.Services, builder.Configuration);
        return builder.Build();
    }
}
