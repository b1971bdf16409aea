using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Remediation;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Core.Tests.Remediation;

/// <summary>
/// Remediation over the in-memory stores and queue, with fakes of the ports that change machines (counting their
/// calls) and of the inventory and guest runner (a machine checked again answers as not running, so its verdict is Unknown).
/// </summary>
internal sealed class RemediationHarness : IAsyncDisposable
{
    public const string Sub = Resources.Subscription;

    private readonly ServiceProvider _services;

    public RemediationHarness(Action<RemediationOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(Time);
        services.AddComplianceStorage();
        services.AddComplianceInMemoryStores();
        services.AddComplianceInMemoryQueue();
        services.AddSingleton<IResourceInventory>(Inventory);
        services.AddSingleton<IGuestCommandRunner>(Guest);
        services.AddSingleton<IPatchInstaller>(Installer);
        services.AddSingleton<IMachineRestarter>(Restarter);
        services.AddSingleton<INotificationSink>(Sink);
        services.Configure<RemediationOptions>(o =>
        {
            o.Enabled = true;
            configure?.Invoke(o);
        });
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(TestTime.Start);

    public FakeInventory Inventory { get; } = new();

    public FakeGuestRunner Guest { get; } = new();

    public FakePatchInstaller Installer { get; } = new();

    public FakeRestarter Restarter { get; } = new();

    public RecordingSink Sink { get; } = new("webhook");

    public RemediationService Service => _services.GetRequiredService<RemediationService>();

    public RemediationRunner Runner => _services.GetRequiredService<RemediationRunner>();

    public IRemediationStore Store => _services.GetRequiredService<IRemediationStore>();

    public IVerdictStore Verdicts => _services.GetRequiredService<IVerdictStore>();

    public IScanBatchQueue Queue => _services.GetRequiredKeyedService<IScanBatchQueue>(RemediationOptions.ServiceKey);

    public static string VmId(string name, string group = "rg-test") =>
        $"/subscriptions/{Sub}/resourceGroups/{group}/providers/Microsoft.Compute/virtualMachines/{name}";

    /// <summary>Stores a verdict for a machine, and puts the machine in the inventory (a VM, unless the id says otherwise).</summary>
    public async Task<ReportResource> SeedAsync(
        string id,
        string status,
        string[] actions,
        string os = "Windows",
        string kind = "VirtualMachine",
        params ReportFinding[] findings)
    {
        var resourceId = new ResourceId(id);
        var verdict = new ReportResource(
            id,
            kind,
            id[(id.LastIndexOf('/') + 1)..],
            os,
            status,
            actions,
            findings.Length > 0 ? findings : [.. actions.Select(a => Finding(a == "GuestUpdate" ? "GUEST_UPDATE_MISSING" : "KVA_SHADOWING_REQUIRED"))],
            resourceId.SubscriptionId,
            resourceId.ResourceGroup,
            "westeurope",
            Time.GetUtcNow().AddHours(-1));
        await Verdicts.PutAsync(new ResourceState(verdict, "scan-1", null, [], [], []));
        Inventory.Add(new Machine(
            resourceId,
            Enum.Parse<ResourceKind>(kind == "CloudService" ? "CloudService" : kind),
            verdict.Name,
            "westeurope",
            Enum.Parse<OsType>(os),
            PowerState.Running,
            new Dictionary<string, string>(),
            new MachineInstanceView(AgentStatus.Ready, null)));
        return verdict;
    }

    public static ReportFinding Finding(string code) => new(code, "High", "fix it", new Dictionary<string, object?>());

    /// <summary>Delivers every visible message of the remediation queue to the runner, as the consumer would, until none is left.</summary>
    public async Task<int> DrainAsync()
    {
        var handled = 0;
        while (true)
        {
            var messages = await Queue.ReceiveAsync(16, CancellationToken.None);
            if (messages.Count == 0)
            {
                return handled;
            }

            foreach (var message in messages)
            {
                await Runner.RunAsync(RemediationStepMessage.Deserialize(message.Text), CancellationToken.None);
                await Queue.DeleteAsync(message, CancellationToken.None);
                handled++;
            }
        }
    }

    public async Task<IReadOnlyList<RemediationStep>> StepsAsync(string planId) =>
        (await Store.GetStepsAsync(planId, CancellationToken.None)).Select(s => s.Step).ToList();

    public async Task<RemediationPlan> PlanAsync(string planId) =>
        (await Store.GetPlanAsync(planId, CancellationToken.None))!.Plan;

    public ValueTask DisposeAsync() => _services.DisposeAsync();

    internal sealed class FakeInventory : IResourceInventory
    {
        private readonly Dictionary<ResourceId, InventoryResource> _resources = [];

        public void Add(InventoryResource resource)
        {
            lock (_resources)
            {
                _resources[resource.Id] = resource;
            }
        }

        public Task<InventoryResource?> GetResourceAsync(ResourceId id, CancellationToken cancellationToken)
        {
            lock (_resources)
            {
                return Task.FromResult(_resources.GetValueOrDefault(id));
            }
        }

        public Task<MachineInstanceView> GetInstanceViewAsync(Machine machine, CancellationToken cancellationToken) =>
            Task.FromResult(new MachineInstanceView(AgentStatus.Ready, null));

        public IAsyncEnumerable<SubscriptionInfo> GetSubscriptionsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public IAsyncEnumerable<InventoryResource> GetResourcesAsync(string subscriptionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ResourceId>?> GetScaleSetInstanceIdsAsync(ResourceId scaleSet, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    internal sealed class FakeGuestRunner : IGuestCommandRunner
    {
        private int _scripts;

        /// <summary>Remediation scripts run (the check script is not counted).</summary>
        public int ScriptRuns => _scripts;

        public Task<GuestCommandResult> RunAsync(Machine machine, GuestScript script, CancellationToken cancellationToken)
        {
            if (RemediationScripts.All.Any(s => s.Script.Sha256 == script.Sha256))
            {
                Interlocked.Increment(ref _scripts);
                return Task.FromResult(GuestCommandResult.Completed("SET FeatureSettingsOverride=72 PREVIOUS=absent\nSET FeatureSettingsOverrideMask=3 PREVIOUS=absent\nRESULT ok\n", null));
            }

            return Task.FromResult(GuestCommandResult.Failed(GuestCheckFailure.Of(GuestCheckFailureKind.CheckFailed, "the test guest does not answer checks")));
        }
    }

    internal sealed class FakePatchInstaller : IPatchInstaller
    {
        private readonly List<(string Machine, PatchInstallation Request)> _calls = [];

        public PatchInstallationResult Result { get; set; } = new("Succeeded", "NotNeeded", 4, 0, 0, false, "activity-1", TestTime.Start, null);

        public HashSet<string> Failing { get; } = new(StringComparer.OrdinalIgnoreCase);

        /// <summary>When set, each installation waits for it: a test holds a step in the middle of its work.</summary>
        public Task? Gate { get; set; }

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IReadOnlyList<(string Machine, PatchInstallation Request)> Calls
        {
            get
            {
                lock (_calls)
                {
                    return _calls.ToList();
                }
            }
        }

        public async Task<PatchInstallationResult> InstallAsync(Machine machine, PatchInstallation request, CancellationToken cancellationToken)
        {
            lock (_calls)
            {
                _calls.Add((machine.Id.Value, request));
            }

            Started.TrySetResult();
            if (Gate is { } gate)
            {
                await gate.WaitAsync(cancellationToken);
            }

            return Failing.Contains(machine.Id.Value) ? PatchInstallationResult.NotStarted("OperationNotAllowed: the emulated failure") : Result;
        }
    }

    internal sealed class FakeRestarter : IMachineRestarter
    {
        private int _calls;

        public int Calls => _calls;

        public Task<string?> RestartAsync(Machine machine, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return Task.FromResult<string?>(null);
        }
    }
}
