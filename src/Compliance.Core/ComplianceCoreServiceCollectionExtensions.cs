using Compliance.Core.Notifications;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

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
    /// Adds what a store makes possible: <see cref="ComplianceRecorder"/>, the notification policy and dispatcher, and
    /// <see cref="ScanCoordinator"/>. The <see cref="IComplianceStore"/> and any <see cref="INotificationSink"/>s come from
    /// an adapter; with no sink the policy still tracks what would have been notified.
    /// </summary>
    public static IServiceCollection AddComplianceStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddComplianceCore();
        services.AddOptions<NotificationOptions>().ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<NotificationPolicy>();
        services.TryAddSingleton<ComplianceRecorder>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<ScanCoordinator>();
        services.TryAddSingleton<ScanPlanner>();
        services.TryAddSingleton<BatchRunner>();
        services.TryAddSingleton<ResourceChangeProcessor>();
        return services;
    }
}
