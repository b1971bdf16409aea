using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;

namespace Compliance.Core.Tests.TestData;

/// <summary>
/// The scan pipeline over substitutes: an inventory listing Linux machines of one subscription, a guest runner that
/// answers each machine's report, the in-memory stores (verdict writes through <see cref="VerdictWrites"/>, which a test
/// can intercept) and queue, and the pipeline's parts wired as the app wires them, on a clock the test moves.
/// </summary>
public sealed class FanOutHarness
{
    public const string Patched = """{"schema":1,"os":"Linux","kernel":"5.15","vulnerabilities":{"meltdown":"Mitigation: PTI","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Retpolines"}}""";
    public const string Unpatched = """{"schema":1,"os":"Linux","kernel":"3.10","vulnerabilities":null}""";

    private readonly ConcurrentDictionary<string, string> _guests = new();
    private readonly List<InventoryResource> _resources = [];
    private InMemoryScanBatchQueue? _queue;

    public FanOutHarness(int batchSize, bool withSink = true)
    {
        VerdictWrites = new InterceptedVerdictStore(Verdicts);
        ScanOptions = new ScanOptions { BatchSize = batchSize, MaxConcurrency = 4, Subscriptions = Resources.Subscription };
        Sinks = withSink ? [Sink] : [];
        Inventory.GetResourcesAsync(Resources.Subscription, Arg.Any<CancellationToken>()).Returns(_ => Stream(_resources.ToList()));
        Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>())
            .Returns(call => GuestCommandResult.Completed(_guests[call.Arg<Machine>().Name], null));
    }

    public IResourceInventory Inventory { get; } = Substitute.For<IResourceInventory>();

    public IGuestCommandRunner Runner { get; } = Substitute.For<IGuestCommandRunner>();

    public InMemoryVerdictStore Verdicts { get; } = new();

    public InterceptedVerdictStore VerdictWrites { get; }

    public InMemoryScanLedger Ledger { get; } = new();

    public InMemoryLeaseStore Leases { get; } = new();

    public InMemoryEventInbox Inbox { get; } = new();

    public InMemoryScanBatchQueue Queue => _queue ??= new InMemoryScanBatchQueue(Options.Create(QueueOptions), Time);

    public ScanQueueOptions QueueOptions { get; } = new() { MaxPollingInterval = TimeSpan.FromMilliseconds(100), RetryDelay = TimeSpan.Zero };

    public RecordingSink Sink { get; } = new();

    public IReadOnlyList<INotificationSink> Sinks { get; }

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public ScanOptions ScanOptions { get; }

    public IReadOnlyList<InventoryResource> Listed => _resources;

    /// <summary>Adds <paramref name="count"/> running Linux machines; <paramref name="guest"/> chooses each one's report.</summary>
    public void Fleet(int count, Func<int, string> guest)
    {
        for (var i = 0; i < count; i++)
        {
            var name = $"vm-{_resources.Count:000}";
            _resources.Add(Resources.Vm(name, OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null)));
            _guests[name] = guest(i);
        }
    }

    /// <summary>Adds one running Linux machine named <paramref name="name"/> whose guest reports <paramref name="guest"/>.</summary>
    public Machine Machine(string name, string guest)
    {
        var machine = Resources.Vm(name, OsType.Linux, view: new MachineInstanceView(AgentStatus.Ready, null));
        _resources.Add(machine);
        _guests[name] = guest;
        return machine;
    }

    /// <summary>Changes what machine <paramref name="name"/>'s guest reports from now on.</summary>
    public void Guest(string name, string report) => _guests[name] = report;

    /// <summary>What machine <paramref name="name"/>'s guest reports.</summary>
    public string GuestOf(string name) => _guests[name];

    public ComplianceScanner Scanner() =>
        new(Inventory, Runner, Judge.Assessor(time: Time), Options.Create(ScanOptions), Time, NullLogger<ComplianceScanner>.Instance);

    public ScanFinisher Finisher() =>
        new(VerdictWrites, Ledger, Dispatcher(), Sinks, Time, NullLogger<ScanFinisher>.Instance);

    public NotificationDispatcher Dispatcher() =>
        new(VerdictWrites, Ledger, Leases, Sinks, Time, NullLogger<NotificationDispatcher>.Instance);

    public ScanPlanner Planner() =>
        new(Scanner(), Inventory, VerdictWrites, Ledger, Finisher(), Options.Create(ScanOptions), Time, NullLogger<ScanPlanner>.Instance);

    public ComplianceRecorder Recorder() =>
        new(VerdictWrites, new NotificationPolicy(Options.Create(new NotificationOptions())), Sinks, NullLogger<ComplianceRecorder>.Instance);

    public BatchRunner BatchRunner() =>
        new(Scanner(), Recorder(), Finisher(), VerdictWrites, Ledger, Options.Create(ScanOptions), Time, NullLogger<BatchRunner>.Instance);

    public ScanRecovery Recovery() =>
        new(Queue, Ledger, Finisher(), Options.Create(ScanOptions), Time, NullLogger<ScanRecovery>.Instance);

    public StoreRetention Retention() =>
        new(Inbox, Ledger, Leases, Options.Create(ScanOptions), Time, NullLogger<StoreRetention>.Instance);

    public ScanStartGate Gate() =>
        new(Ledger, Leases, Inventory, Recovery(), Options.Create(ScanOptions), Time, NullLogger<ScanStartGate>.Instance);

    public ScanPipeline Pipeline() => new(Planner(), BatchRunner(), Recovery(), Retention(), Queue, Gate());

    public ScanBatchWorker Worker(IScanBatchQueue? queue = null) =>
        new(queue ?? Queue, Pipeline(), Options.Create(QueueOptions), Options.Create(ScanOptions), Time, NullLogger<ScanBatchWorker>.Instance);

    public ScanRunner ScanRunner() => new(Pipeline(), Worker(), Ledger, VerdictWrites, Time);

    /// <summary>
    /// Runs a scan through the pipeline (plan, queue, batches on the worker, finish) and returns every verdict it judged,
    /// in resource-id order, with its record.
    /// </summary>
    public Task<PipelineScan> ScanAsync(ScanRequest? request = null, CancellationToken cancellationToken = default) =>
        PipelineScan.RunAsync(Pipeline(), Worker(), Ledger, request ?? new ScanRequest([]), cancellationToken);

    /// <summary>
    /// Lets the platform clock run (<paramref name="step"/> every real millisecond) until disposed, for a case where
    /// parts of the pipeline wait on it at once (two finishing scans taking turns to dispatch), which a clock moved only
    /// by the test would leave waiting for ever.
    /// </summary>
    public IAsyncDisposable RunClock(TimeSpan step) => new RunningClock(Time, step);

    public Task<ScanPlan> PlanAsync(ScanRequest? request = null) =>
        Planner().PlanAsync(request ?? new ScanRequest([]), CancellationToken.None);

    public List<NotificationMessage> Received(string type) => Sink.Received.Where(m => m.Type == type).ToList();

    public static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items, Exception? thenThrow = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        if (thenThrow is not null)
        {
            throw thenThrow;
        }
    }

    private sealed class RunningClock : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        public RunningClock(FakeTimeProvider time, TimeSpan step) =>
            _running = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    time.Advance(step);
                    await Task.Delay(1, CancellationToken.None);
                }
            });

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
            _stop.Dispose();
        }
    }
}
