using System.Globalization;
using System.Text.Json;
using Compliance.Core.Queues;

namespace Compliance.Infra.Tests;

/// <summary>
/// Every host runs the same queue the same way: the queue the functions bind (<c>functions.metadata</c>, through the
/// app setting they name), the retry settings of the host (<c>host.json</c>), the app's settings in Bicep and in the
/// local sample, the queues the Bicep creates, and the defaults of the app on its own.
/// </summary>
public sealed class BatchQueueSettingsTests
{
    private const string QueueSetting = "Compliance__Queue__QueueName";

    private static string Setting(InfraModel infra, string name) =>
        Assert.Single(infra.AppSettings, s => s.Name == name).Value.Trim('\'');

    private static string Sample(string name)
    {
        using var local = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(InfraDocuments.LocalSettings.Split('/'))));
        return local.RootElement.GetProperty("Values").GetProperty(name).GetString()!;
    }

    [Fact]
    public void QueueName_IsTheOneEveryFunctionBindsInEveryPlace()
    {
        var infra = InfraModel.Read(InfraDocuments.Load());
        var bindings = infra.Functions.SelectMany(f => f.Bindings.Where(b => b.QueueName == $"%{QueueSetting}%").Select(b => (Function: f.Name, Binding: b))).ToList();

        // The timer's output fills the queue and CheckMachines drains it; StartScan queues through the app's own client.
        Assert.Equal(["CheckMachines", "ScheduledScan"], bindings.Select(b => b.Function).Order(StringComparer.Ordinal));
        Assert.All(bindings, b => Assert.Equal(ScanQueueOptions.DefaultQueueName, InfraConsistency.QueueOf(b.Binding, infra.AppSettingValue)));
        Assert.Equal(ScanQueueOptions.DefaultQueueName, Setting(infra, QueueSetting));
        Assert.Equal(ScanQueueOptions.DefaultQueueName, Sample(QueueSetting));
        Assert.Contains(ScanQueueOptions.DefaultQueueName, infra.Queues);
        Assert.Contains(new ScanQueueOptions().PoisonQueueName, infra.Queues);
    }

    [Fact]
    public void RetrySettings_MatchTheHosts()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(InfraDocuments.HostJson.Split('/'))));
        var queues = host.RootElement.GetProperty("extensions").GetProperty("queues");
        var maxDequeueCount = queues.GetProperty("maxDequeueCount").GetInt32();
        var retryDelay = TimeSpan.Parse(queues.GetProperty("visibilityTimeout").GetString()!, CultureInfo.InvariantCulture);
        var infra = InfraModel.Read(InfraDocuments.Load());
        var defaults = new ScanQueueOptions();

        Assert.Equal(maxDequeueCount, defaults.MaxDequeueCount);
        Assert.Equal(retryDelay, defaults.RetryDelay);
        foreach (var read in new Func<string, string>[] { name => Setting(infra, name), Sample })
        {
            Assert.Equal(maxDequeueCount, int.Parse(read("Compliance__Queue__MaxDequeueCount"), CultureInfo.InvariantCulture));
            Assert.Equal(retryDelay, TimeSpan.Parse(read("Compliance__Queue__RetryDelay"), CultureInfo.InvariantCulture));
            Assert.Equal(defaults.VisibilityTimeout, TimeSpan.Parse(read("Compliance__Queue__VisibilityTimeout"), CultureInfo.InvariantCulture));
        }
    }
}
