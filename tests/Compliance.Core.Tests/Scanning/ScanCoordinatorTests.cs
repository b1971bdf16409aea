using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Compliance.Core.Tests.Scanning;

/// <summary>Scans with a store: transitions are published once, across scans and across a scan that died.</summary>
public sealed class ScanCoordinatorTests
{
    private const string Patched = """{"schema":1,"os":"Linux","kernel":"5.15","vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines"}}""";
    private const string Unpatched = """{"schema":1,"os":"Linux","kernel":"3.10","vulnerabilities":null}""";

    private readonly IResourceInventory _inventory = Substitute.For<IResourceInventory>();
    private readonly IGuestCommandRunner _runner = Substitute.For<IGuestCommandRunner>();
    private readonly InMemoryVerdictStore _store = new();
    private readonly InMemoryScanLedger _ledger = new();
    private readonly RecordingSink _sink = new();
    private readonly FakeTimeProvider _time = new(TestTime.Start);
    private readonly ConcurrentDictionary<string, string> _guests = new();
    private readonly List<Machine> _machines = [];

    public ScanCoordinatorTests()
    {
        _inventory.GetResourcesAsync(Resources.Subscription, Arg.Any<CancellationToken>()).Returns(_ => Stream(_machines.ToList()));
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>())
            .Returns(call => GuestCommandResult.Completed(_guests[call.Arg<Machine>().Name], null));
    }

    private void Fleet(int count, Func<int, string> guest)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"vm-{i:000}";
            _machines.Add(Resources.Vm(name, OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null)));
            _guests[name] = guest(i);
        }
    }

    private static async IAsyncEnumerable<InventoryResource> Stream(IEnumerable<InventoryResource> items, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }
    }

    private ScanCoordinator Coordinator()
    {
        var sinks = new INotificationSink[] { _sink };
        var policy = new NotificationPolicy(Options.Create(new NotificationOptions { ReminderInterval = TimeSpan.FromDays(7) }));
        var scanner = new ComplianceScanner(_inventory, _runner, Judge.Assessor(time: _time), Options.Create(new ScanOptions { MaxConcurrency = 8 }), _time, NullLogger<ComplianceScanner>.Instance);
        return new ScanCoordinator(
            scanner,
            new ComplianceRecorder(_store, policy, sinks, NullLogger<ComplianceRecorder>.Instance),
            new NotificationDispatcher(_store, _ledger, new InMemoryLeaseStore(), sinks, TimeProvider.System, NullLogger<NotificationDispatcher>.Instance),
            _store,
            _ledger,
            sinks,
            _time,
            NullLogger<ScanCoordinator>.Instance);
    }

    private Task<StoredScanResult> ScanAsync(CancellationToken cancellationToken = default) =>
        Coordinator().RunAsync(new ScanRequest([Resources.Subscription]), null, cancellationToken);

    private List<NotificationMessage> Received(string type) => _sink.Received.Where(m => m.Type == type).ToList();

    [Fact]
    public async Task RunAsync_TwoScansOfAnUnchangedFleet_PublishEachTransitionOnce()
    {
        Fleet(10, i => i % 3 == 0 ? Unpatched : Patched);

        await ScanAsync();
        _time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        Assert.Equal(4, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(2, Received(NotificationTypes.ScanCompleted).Count);
        Assert.Empty(Received(NotificationTypes.ActionResolved));
        Assert.Equal(_sink.Received.Count, _sink.Received.Select(m => m.Id).Distinct().Count());
        Assert.Equal(10, _store.States.Count);
        Assert.Equal(10, _store.History.Count);
        var summary = await _ledger.GetSummaryAsync(CancellationToken.None);
        Assert.Equal(4, summary!.Value.Summary.ActionRequired);
        Assert.Equal(6, summary.Value.Summary.Compliant);
    }

    [Fact]
    public async Task RunAsync_MachineBreaksThenIsFixed_OneRequiredThenOneResolved()
    {
        Fleet(5, _ => Patched);
        await ScanAsync();

        _guests["vm-002"] = Unpatched;
        _time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();
        _time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        var required = Assert.Single(Received(NotificationTypes.GuestUpdateRequired));
        Assert.EndsWith("/vm-002", required.Subject, StringComparison.Ordinal);

        _guests["vm-002"] = Patched;
        _time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        var resolved = Assert.Single(Received(NotificationTypes.ActionResolved));
        Assert.Equal(required.Subject, resolved.Subject);
        var history = await _store.GetHistoryAsync(required.Subject, CancellationToken.None).ToListAsync();
        Assert.Equal(["Compliant", "ActionRequired", "Compliant"], history.Select(h => h.ToStatus).Reverse());
    }

    [Fact]
    public async Task RunAsync_ReminderAfterTheInterval()
    {
        Fleet(1, _ => Unpatched);
        await ScanAsync();
        _time.Advance(TimeSpan.FromDays(8));

        await ScanAsync();

        Assert.Equal(2, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(["entered", "reminder"], Received(NotificationTypes.GuestUpdateRequired).Select(m => m.DataJson.Contains("\"reason\":\"reminder\"", StringComparison.Ordinal) ? "reminder" : "entered"));
    }

    [Fact]
    public async Task RunAsync_SinkDown_NotificationsDeliveredByTheNextScan()
    {
        Fleet(3, _ => Unpatched);
        _sink.Failing = true;
        var first = await ScanAsync();

        Assert.Equal(4, first.Dispatched.Pending);
        _sink.Failing = false;
        _time.Advance(TimeSpan.FromHours(1));
        await ScanAsync();

        Assert.Equal(3, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(2, Received(NotificationTypes.ScanCompleted).Count);
        Assert.Equal(_sink.Received.Count, _sink.Received.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_ScanKilledHalfWayAndRunAgain_NothingLostNothingDuplicatedNothingSentTwice()
    {
        Fleet(250, i => i % 2 == 0 ? Unpatched : Patched);
        using var kill = new CancellationTokenSource();
        var calls = 0;
        _runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            if (Interlocked.Increment(ref calls) == 160)
            {
                kill.Cancel();
            }

            return GuestCommandResult.Completed(_guests[call.Arg<Machine>().Name], null);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScanAsync(kill.Token));
        Assert.InRange(_store.States.Count, 100, 249);

        _time.Advance(TimeSpan.FromHours(1));
        await ScanAsync();

        Assert.Equal(250, _store.States.Count);
        Assert.Equal(250, _store.States.Select(s => s.State.ResourceId.ToUpperInvariant()).Distinct().Count());
        Assert.Equal(125, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(125, Received(NotificationTypes.GuestUpdateRequired).Select(m => m.Subject).Distinct().Count());
        Assert.Equal(_sink.Received.Count, _sink.Received.Select(m => m.Id).Distinct().Count());
        Assert.Equal(250, _store.History.Count);
        Assert.All(_store.States, s => Assert.Empty(s.State.Outbox));
    }

    [Fact]
    public async Task RunAsync_RecordsTheScan()
    {
        Fleet(3, _ => Patched);

        var result = await ScanAsync();

        var scans = await _ledger.GetScansAsync(CancellationToken.None).ToListAsync();
        var scan = Assert.Single(scans);
        Assert.Equal(result.Scan.ScanId, scan.ScanId);
        Assert.NotNull(scan.CompletedAt);
        Assert.Equal(3, scan.Recorded);
        Assert.Equal(3, scan.Summary.Compliant);
        Assert.Null(scan.Digest);
    }
}
