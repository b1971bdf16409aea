using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager;
using Compliance.Azure.ResourceManager;
using Compliance.Core;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Compliance.Azure;

/// <summary>
/// The one wiring both fronts (the Functions app and the CLI) use, so they cannot drift: options bound from
/// configuration and validated at start-up, the domain services, and the ARM adapters.
/// </summary>
public static class ComplianceServiceCollectionExtensions
{
    /// <summary>
    /// Adds Compliance. An <see cref="ArmClient"/> or <see cref="TokenCredential"/> registered before this call wins
    /// (the CLI registers one for the loopback emulator); otherwise ARM is reached with managed identity
    /// (<see cref="DefaultAzureCredential"/>).
    /// </summary>
    public static IServiceCollection AddCompliance(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddComplianceCore();
        services.AddOptions<ScanOptions>().Bind(configuration.GetSection(ScanOptions.SectionName));
        services.AddOptions<RulesOptions>().Bind(configuration.GetSection(RulesOptions.SectionName));
        services.AddOptions<ArmOptions>()
            .Bind(configuration.GetSection(ArmOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Endpoint is null || (o.Endpoint.IsAbsoluteUri && o.Endpoint.Scheme == Uri.UriSchemeHttps), "Compliance:Arm:Endpoint must be an absolute https URL.")
            .Validate(o => o.RetryDelay > TimeSpan.Zero && o.RunCommandConflictBackoff >= TimeSpan.Zero, "Compliance:Arm delays must be positive.")
            .ValidateOnStart();

        services.TryAddSingleton<TokenCredential>(sp => new DefaultAzureCredential(new DefaultAzureCredentialOptions
        {
            ManagedIdentityClientId = sp.GetRequiredService<IOptions<ArmOptions>>().Value.ManagedIdentityClientId,
        }));
        services.TryAddSingleton(sp => ComplianceArmClientFactory.Create(
            sp.GetRequiredService<IOptions<ArmOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<IResourceInventory, ArmResourceInventory>();
        services.TryAddSingleton<IGuestCommandRunner, ArmGuestCommandRunner>();
        return services;
    }
}
