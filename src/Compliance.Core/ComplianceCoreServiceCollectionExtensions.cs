using Compliance.Core.Rules;
using Compliance.Core.Scanning;
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
}
