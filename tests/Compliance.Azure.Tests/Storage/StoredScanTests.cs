using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Core;
using Compliance.Azure.Queues;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// Scans through the production wiring (<c>AddCompliance</c>) with every part real: the ARM emulator through the SDK,
/// Azurite through the Table client, and a signed webhook to a loopback receiver.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StoredScanTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "a-webhook-secret-of-some-length";
    private readonly string _prefix = "e" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _queue = "q" + Guid.NewGuid().ToString("N")[..12];
    private LoopbackReceiver? _receiver;

    private LoopbackReceiver Receiver => _receiver ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _receiver = await LoopbackReceiver.StartAsync();

    public async Task DisposeAsync()
    {
        await Receiver.DisposeAsync();
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = _prefix }, new StaticTokenCredential("unused"));
        await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        var queues = ScanBatchQueueClients.Create(new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString }, new ScanQueueOptions { QueueName = _queue }, new StaticTokenCredential("unused"));
        await Task.WhenAll(queues.Batches.DeleteIfExistsAsync(), queues.Poison.DeleteIfExistsAsync());
    }

    private static JsonObject Unpatched() => JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"3.10","vulnerabilities":null}""")!.AsObject();

    private static JsonObject KvaOff()
    {
        var guest = Fleets.PatchedWindows().DeepClone().AsObject();
        guest["kvaShadow"] = new JsonObject { ["status"] = "ok", ["flags"] = 0x2030 };
        guest["features"] = new JsonArray("RDS-RD-Server");
        return guest;
    }

    private async Task<(ServiceProvider Services, ArmEmulator Emulator)> StartAsync(string fleet)
    {
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Compliance:Arm:Endpoint"] = emulator.Endpoint.ToString(),
            ["Compliance:Arm:RetryDelay"] = "00:00:00.010",
            ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.010",
            ["Compliance:Storage:ConnectionString"] = azurite.Azurite.ConnectionString,
            ["Compliance:Storage:TablePrefix"] = _prefix,
            ["Compliance:Queue:QueueName"] = _queue,
            ["Compliance:Notifications:Webhook:Url"] = new Uri(Receiver.BaseAddress, "hooks").ToString(),
            ["Compliance:Notifications:Webhook:Secret"] = Secret,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddComplianceArmTrusting(new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
        services.AddCompliance(configuration);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        provider.GetRequiredService<IStartupValidator>().Validate();
        return (provider, emulator);
    }

    private async Task<ScanResult> ScanAsync(string fleet, CancellationToken cancellationToken = default, IProgress<ScanProgress>? progress = null)
    {
        var (services, emulator) = await StartAsync(fleet);
        await using (services)
        await using (emulator)
        {
            return await services.GetRequiredService<ScanRunner>().RunAsync(ScanRequest.AllSubscriptions, progress, cancellationToken);
        }
    }

    private List<(string Id, string Type, string Subject)> Delivered()
    {
        var delivered = new List<(string, string, string)>();
        foreach (var request in Receiver.Requests)
        {
            Assert.True(WebhookSignature.Verify(Secret, request.Body, request.Header(WebhookSignature.HeaderName)));
            using var body = JsonDocument.Parse(request.Body);
            delivered.Add((body.RootElement.GetProperty("id").GetString()!, body.RootElement.GetProperty("type").GetString()!, body.RootElement.GetProperty("subject").GetString()!));
        }

        return delivered;
    }

    [Fact]
    public async Task Scans_PublishEachTransitionOnce_BreakAndFixPublishOnce()
    {
        var v1 = Fleets.Of(Fleets.Vm("a", "Linux"), Fleets.Vm("b", "Linux", guest: Unpatched()), Fleets.Vm("c", "Windows", guest: KvaOff()));
        var v2 = Fleets.Of(Fleets.Vm("a", "Linux", guest: Unpatched()), Fleets.Vm("b", "Linux"), Fleets.Vm("c", "Windows", guest: KvaOff()));

        await ScanAsync(v1);
        await ScanAsync(v1);
        var first = Delivered();
        await ScanAsync(v2);
        var all = Delivered();

        Assert.Equal(
            [(NotificationTypes.GuestUpdateRequired, "b"), (NotificationTypes.KvaShadowingRequired, "c")],
            first.Where(d => d.Type != NotificationTypes.ScanCompleted).Select(d => (d.Type, d.Subject[(d.Subject.LastIndexOf('/') + 1)..])).Order());
        Assert.Equal(2, first.Count(d => d.Type == NotificationTypes.ScanCompleted));
        var third = all.Skip(first.Count).ToList();
        Assert.Equal(
            [(NotificationTypes.ActionResolved, "b"), (NotificationTypes.GuestUpdateRequired, "a")],
            third.Where(d => d.Type != NotificationTypes.ScanCompleted).Select(d => (d.Type, d.Subject[(d.Subject.LastIndexOf('/') + 1)..])).Order());
        Assert.Equal(all.Count, all.Select(d => d.Id).Distinct().Count());

        var (services, emulator) = await StartAsync(v2);
        await using (services)
        await using (emulator)
        {
            var verdicts = services.GetRequiredService<IVerdictStore>();
            var ledger = services.GetRequiredService<IScanLedger>();
            var b = (await verdicts.QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync()).Single(s => s.State.Verdict.Name == "b");
            var history = await verdicts.GetHistoryAsync(b.State.ResourceId, CancellationToken.None).ToListAsync();
            Assert.Equal(["Compliant", "ActionRequired"], history.Select(h => h.ToStatus));
            Assert.Equal(3, (await ledger.GetSummaryAsync(CancellationToken.None))!.Value.Summary.Total);
            Assert.Equal(3, await ledger.GetScansAsync(CancellationToken.None).CountAsync());
        }
    }

    [Fact]
    public async Task Scan_KilledHalfWayAndRunAgain_NoResourceLostNoneDuplicatedNoNotificationTwice()
    {
        var machines = Enumerable.Range(0, 150).Select(i => Fleets.Vm($"vm-{i:000}", "Linux", guest: i % 3 == 0 ? Unpatched() : null)).ToArray();
        var fleet = Fleets.Of(machines);
        using var kill = new CancellationTokenSource();
        var progress = new KillAfter(kill, completed: 110);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScanAsync(fleet, kill.Token, progress));
        await ScanAsync(fleet);

        var (services, emulator) = await StartAsync(fleet);
        await using (services)
        await using (emulator)
        {
            var states = await services.GetRequiredService<IVerdictStore>().QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync();
            Assert.Equal(150, states.Count);
            Assert.Equal(150, states.Select(s => s.State.ResourceId.ToUpperInvariant()).Distinct().Count());
            Assert.All(states, s => Assert.Empty(s.State.Outbox));
        }

        var delivered = Delivered();
        Assert.Equal(delivered.Count, delivered.Select(d => d.Id).Distinct().Count());
        Assert.Equal(50, delivered.Count(d => d.Type == NotificationTypes.GuestUpdateRequired));
        Assert.Equal(50, delivered.Where(d => d.Type == NotificationTypes.GuestUpdateRequired).Select(d => d.Subject).Distinct().Count());
    }

    [Fact]
    public async Task Scan_AVmWithA900CharacterName_ReportedWithAnError_EveryOtherVerdictStored_NoRunCommandTwice()
    {
        var longName = "vm-" + new string('n', 897);
        var fleet = Fleets.Of(Fleets.Vm("a", "Linux"), Fleets.Vm(longName, "Linux", guest: Unpatched()), Fleets.Vm("b", "Linux", guest: Unpatched()), Fleets.Vm("c", "Windows"));
        var (services, emulator) = await StartAsync(fleet);
        await using (services)
        await using (emulator)
        {
            var result = await services.GetRequiredService<ScanRunner>().RunAsync(ScanRequest.AllSubscriptions, null, CancellationToken.None);

            Assert.Equal(4, result.Report.Resources.Count);
            Assert.Equal("ActionRequired", result.Report.Resources.Single(r => r.Name == longName).Status);
            var error = Assert.Single(result.Report.Errors);
            Assert.Contains("not stored", error.Message, StringComparison.Ordinal);
            Assert.Equal(ScanStatus.Completed, result.Scan.Status);
            Assert.Equal(3, result.Scan.Recorded);
            var states = await services.GetRequiredService<IVerdictStore>().QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync();
            Assert.Equal(["a", "b", "c"], states.Select(s => s.State.Verdict.Name).Order(StringComparer.Ordinal));
            Assert.Equal(4, emulator.RunCommands.Count);
            Assert.Equal(4, emulator.RunCommands.Select(r => r.ResourceId.ToUpperInvariant()).Distinct().Count());
        }

        // The notification for the unstored machine is not sent (it has no state to keep its outbox); the others are.
        Assert.Single(Delivered(), d => d.Type == NotificationTypes.GuestUpdateRequired);
    }

    private sealed class KillAfter(CancellationTokenSource kill, int completed) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value)
        {
            if (value.Completed >= completed)
            {
                kill.Cancel();
            }
        }
    }
}
