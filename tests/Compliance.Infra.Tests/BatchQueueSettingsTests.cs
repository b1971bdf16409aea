using System.Globalization;
using System.Text.Json;
using Compliance.Core.Queues;

namespace Compliance.Infra.Tests;

/// <summary>
/// Every host runs the same queue the same way: the queue the functions bind (function.json), the retry settings of the
/// host (host.json), the app's settings in Bicep and in the local sample, and the defaults of the app on its own.
/// </summary>
public sealed class BatchQueueSettingsTests
{
    private static readonly string[] _boundFunctions = ["ScheduledScan", "StartScan", "CheckMachines"];

    private static string Setting(InfraModel infra, string name) =>
        Assert.Single(infra.AppSettings, s => s.Name == name).Value.Trim('\'');

    private static string Sample(string name)
    {
        using var local = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf(InfraDocuments.LocalSettings)));
        return local.RootElement.GetProperty("Values").GetProperty(name).GetString()!;
    }

    [Fact]
    public void QueueName_IsTheOneEveryFunctionBindsInEveryPlace()
    {
        var infra = InfraModel.Read(InfraDocuments.Load());
        foreach (var function in _boundFunctions)
        {
            using var definition = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("src", "Compliance.Functions", "Functions", function, "function.json")));
            var queue = definition.RootElement.GetProperty("bindings").EnumerateArray()
                .Single(b => b.GetProperty("type").GetString() is "queue" or "queueTrigger")
                .GetProperty("queueName").GetString();
            Assert.Equal(ScanQueueOptions.DefaultQueueName, queue);
        }

        Assert.Equal(ScanQueueOptions.DefaultQueueName, Setting(infra, "Compliance__Queue__QueueName"));
        Assert.Equal(ScanQueueOptions.DefaultQueueName, Sample("Compliance__Queue__QueueName"));
        Assert.Contains($"'{ScanQueueOptions.DefaultQueueName}'", File.ReadAllText(RepositoryFiles.PathOf("infra", "modules", "storage.bicep")), StringComparison.Ordinal);
    }

    [Fact]
    public void RetrySettings_MatchTheHosts()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("host.json")));
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

    [Fact]
    public void QueueServiceUri_IsTheStorageAccountsQueueEndpoint()
    {
        var infra = InfraModel.Read(InfraDocuments.Load());

        Assert.Equal("storage.properties.primaryEndpoints.queue", Setting(infra, "Compliance__Storage__QueueServiceUri"));
    }
}
