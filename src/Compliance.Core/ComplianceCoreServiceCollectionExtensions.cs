using Compliance.Core.Exemptions;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Storage.InMemory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core;

/// <summary>Registers the domain services: rules, assessor and scanner, with validated options.</summary>
public static class ComplianceCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds the verdict rules, <see cref="ComplianceAssessor"/> and <see cref="ComplianceScanner"/>. The ports
    /// (<see cref="Inventory.IResourceInventory"/>, <see cref="Guest.IGuestCommandRunner"/>) come from an adapter.
    /// Options are validated at start-up; binding them to configuration is the front's job.
    /// </summary>
    public static IServiceCollection AddComplianceCore(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ScanOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RulesOptions>().ValidateDataAnnotations().ValidateOnStart();

        if (!services.Any(d => d.ServiceType == typeof(IComplianceRule)))
        {
            foreach (var rule in ComplianceRules.CreateAll())
            {
                services.AddSingleton(rule);
            }
        }

        services.TryAddSingleton<ComplianceAssessor>();
        services.TryAddSingleton<ComplianceScanner>();
        return services;
    }

    /// <summary>
    /// Adds the scan pipeline (<see cref="ScanPipeline"/>: planner, batch runner, finisher, recovery, retention; the
    /// <see cref="ScanBatchWorker"/> and <see cref="ScanRunner"/> that run it in this process), the recorder, the
    /// notification policy and dispatcher, and <see cref="ResourceChangeProcessor"/>. The stores
    /// (<see cref="IVerdictStore"/>, <see cref="IScanLedger"/>, <see cref="IEventInbox"/>, <see cref="ILeaseStore"/>), the
    /// batch queue (<see cref="IScanBatchQueue"/>) and any <see cref="INotificationSink"/>s come from an adapter or from
    /// <see cref="AddComplianceInMemoryStores"/> and <see cref="AddComplianceInMemoryQueue"/>; with no sink the policy
    /// still tracks what would have been notified.
    /// </summary>
    public static IServiceCollection AddComplianceStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddComplianceCore();
        services.AddOptions<NotificationOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ScanQueueOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<NotificationPolicy>();
        services.TryAddSingleton<ComplianceRecorder>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<ScanFinisher>();
        services.TryAddSingleton<ScanPlanner>();
        services.TryAddSingleton<BatchRunner>();
        services.TryAddSingleton<ScanRecovery>();
        services.TryAddSingleton<ScanStartGate>();
        services.TryAddSingleton<StoreRetention>();
        services.TryAddSingleton<ScanPipeline>();
        services.TryAddSingleton<ScanBatchWorker>();
        services.TryAddSingleton<ScanRunner>();
        services.AddOptions<ResourceChangeQueueOptions>()
            .ValidateDataAnnotations()
            .Validate(o => o.TrySettleDelays(out _), "Compliance:Events:SettleRetries must list delays between 00:00:01 and 01:00:00, such as 00:02:00,00:05:00,00:15:00.")
            .ValidateOnStart();
        services.TryAddSingleton<ResourceChangeCounters>();

        // Without an adapter the app's identity is not known, so no Run Command is taken for someone else's.
        services.TryAddSingleton<IAppIdentity>(new FixedAppIdentity(null));
        services.TryAddSingleton<RecheckScheduler>();
        services.TryAddSingleton<ResourceChangeProcessor>();
        services.TryAddSingleton<ResourceRechecker>();
        services.AddOptions<ExemptionOptions>().ValidateDataAnnotations().ValidateOnStart();
        // By factory: a provider built without an exemption store (a test's own stores) still validates on build.
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<ExemptionSweep>(sp));
        services.TryAddSingleton(sp => ActivatorUtilities.CreateInstance<ExemptionService>(sp));

        // Remediation: always registered, refused at every entry while Compliance:Remediation:Enabled is off.
        services.AddOptions<RemediationOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(sp => new RemediationPlanner(
            sp.GetRequiredService<IVerdictStore>(),
            sp.GetRequiredService<IRemediationStore>(),
            sp.GetRequiredService<IOptions<RemediationOptions>>()));
        services.TryAddSingleton(sp => new RemediationProgress(
            sp.GetRequiredService<IRemediationStore>(),
            sp.GetRequiredService<ILeaseStore>(),
            sp.GetServices<INotificationSink>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RemediationProgress>>()));
        // Built on first use, not checked when the container is: the runner's ports (installPatches, restart) and the
        // step queue exist only where remediation can run, and nothing resolves them while it is off.
        services.TryAddSingleton(sp => new RemediationService(
            sp.GetRequiredService<IRemediationStore>(),
            sp.GetRequiredService<RemediationPlanner>(),
            sp.GetRequiredService<RemediationProgress>(),
            sp.GetRequiredKeyedService<IScanBatchQueue>(RemediationOptions.ServiceKey),
            sp.GetRequiredService<IOptions<RemediationOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RemediationService>>()));
        services.TryAddSingleton(sp => new RemediationRunner(
            sp.GetRequiredService<IRemediationStore>(),
            sp.GetRequiredService<RemediationProgress>(),
            sp.GetRequiredService<IResourceInventory>(),
            sp.GetRequiredService<Guest.IGuestCommandRunner>(),
            sp.GetRequiredService<IPatchInstaller>(),
            sp.GetRequiredService<IMachineRestarter>(),
            sp.GetRequiredService<ComplianceScanner>(),
            sp.GetRequiredService<ComplianceRecorder>(),
            sp.GetRequiredService<NotificationDispatcher>(),
            sp.GetRequiredService<ILeaseStore>(),
            sp.GetRequiredKeyedService<IScanBatchQueue>(RemediationOptions.ServiceKey),
            sp.GetRequiredService<IOptions<RemediationOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RemediationRunner>>()));
        return services;
    }

    /// <summary>
    /// Adds the stores in memory (<see cref="InMemoryVerdictStore"/>, <see cref="InMemoryScanLedger"/>,
    /// <see cref="InMemoryEventInbox"/>, <see cref="InMemoryLeaseStore"/>, <see cref="InMemoryExemptionStore"/>), each as itself and as its port; a port
    /// registered before this call wins. What they hold lasts as long as the service provider.
    /// </summary>
    public static IServiceCollection AddComplianceInMemoryStores(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<InMemoryVerdictStore>();
        services.TryAddSingleton<IVerdictStore>(sp => sp.GetRequiredService<InMemoryVerdictStore>());
        services.TryAddSingleton<InMemoryScanLedger>();
        services.TryAddSingleton<IScanLedger>(sp => sp.GetRequiredService<InMemoryScanLedger>());
        services.TryAddSingleton<InMemoryEventInbox>();
        services.TryAddSingleton<IEventInbox>(sp => sp.GetRequiredService<InMemoryEventInbox>());
        services.TryAddSingleton<InMemoryLeaseStore>();
        services.TryAddSingleton<ILeaseStore>(sp => sp.GetRequiredService<InMemoryLeaseStore>());
        services.TryAddSingleton<InMemoryExemptionStore>();
        services.TryAddSingleton<IExemptionStore>(sp => sp.GetRequiredService<InMemoryExemptionStore>());
        services.TryAddSingleton<InMemoryRemediationStore>();
        services.TryAddSingleton<IRemediationStore>(sp => sp.GetRequiredService<InMemoryRemediationStore>());
        return services;
    }

    /// <summary>
    /// Adds the batch queue in memory (<see cref="InMemoryScanBatchQueue"/>, as itself and as its port); a queue
    /// registered before this call wins. Nothing it holds outlives the service provider.
    /// </summary>
    public static IServiceCollection AddComplianceInMemoryQueue(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ScanQueueOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<InMemoryScanBatchQueue>();
        services.TryAddSingleton<IScanBatchQueue>(sp => sp.GetRequiredService<InMemoryScanBatchQueue>());

        // The re-check queue beside it, for the same process.
        services.TryAddKeyedSingleton<IScanBatchQueue>(
            ResourceChangeQueueOptions.RecheckServiceKey,
            (sp, _) => new InMemoryScanBatchQueue(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScanQueueOptions>>(), sp.GetRequiredService<TimeProvider>()));

        // And the queue approved remediation steps wait in.
        services.TryAddKeyedSingleton<IScanBatchQueue>(
            RemediationOptions.ServiceKey,
            (sp, _) => new InMemoryScanBatchQueue(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScanQueueOptions>>(), sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
