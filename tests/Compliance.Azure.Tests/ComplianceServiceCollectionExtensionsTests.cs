using Compliance.Azure.Storage;
using Compliance.Core;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Azure.Tests;

/// <summary>Which stores the wiring gives: the Table ones only when <c>Compliance:Storage</c> is set, or the ones in memory.</summary>
public sealed class ComplianceServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Action<IServiceCollection>? before = null, string? connectionString = null)
    {
        var services = new ServiceCollection().AddLogging();
        before?.Invoke(services);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Compliance:Storage:ConnectionString"] = connectionString,
        }).Build();
        return services.AddCompliance(configuration).BuildServiceProvider();
    }

    [Fact]
    public async Task AddCompliance_StorageSet_EveryPortIsItsTableStore()
    {
        await using var services = Build(connectionString: "UseDevelopmentStorage=true");

        Assert.IsType<TableVerdictStore>(services.GetRequiredService<IVerdictStore>());
        Assert.IsType<TableScanLedger>(services.GetRequiredService<IScanLedger>());
        Assert.IsType<TableEventInbox>(services.GetRequiredService<IEventInbox>());
        Assert.IsType<TableLeaseStore>(services.GetRequiredService<ILeaseStore>());
    }

    [Fact]
    public async Task AddCompliance_NoStorage_NoStore()
    {
        await using var services = Build();

        Assert.Null(services.GetService<IVerdictStore>());
        Assert.Null(services.GetService<IScanLedger>());
        Assert.Null(services.GetService<IEventInbox>());
        Assert.Null(services.GetService<ILeaseStore>());
    }

    [Fact]
    public async Task AddComplianceInMemoryStores_EachPortIsItsOneInstanceInMemory()
    {
        await using var services = Build(s => s.AddComplianceInMemoryStores());

        Assert.Same(services.GetRequiredService<InMemoryVerdictStore>(), services.GetRequiredService<IVerdictStore>());
        Assert.Same(services.GetRequiredService<InMemoryScanLedger>(), services.GetRequiredService<IScanLedger>());
        Assert.Same(services.GetRequiredService<InMemoryEventInbox>(), services.GetRequiredService<IEventInbox>());
        Assert.Same(services.GetRequiredService<InMemoryLeaseStore>(), services.GetRequiredService<ILeaseStore>());
    }

    [Fact]
    public async Task AddComplianceInMemoryStores_BeforeAStorageSetting_TheStoresInMemoryWin()
    {
        await using var services = Build(s => s.AddComplianceInMemoryStores(), connectionString: "UseDevelopmentStorage=true");

        Assert.IsType<InMemoryVerdictStore>(services.GetRequiredService<IVerdictStore>());
        Assert.IsType<InMemoryScanLedger>(services.GetRequiredService<IScanLedger>());
        Assert.IsType<InMemoryEventInbox>(services.GetRequiredService<IEventInbox>());
        Assert.IsType<InMemoryLeaseStore>(services.GetRequiredService<ILeaseStore>());
    }
}
