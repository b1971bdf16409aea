using System.Security.Cryptography.X509Certificates;
using Azure.Core;
using Azure.Identity;
using Azure.ResourceManager;
using Compliance.Azure.EventGrid;
using Compliance.Azure.Queues;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Azure.Webhooks;
using Compliance.Core;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Queues;
using Compliance.Core.Remediation;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure;

/// <summary>
/// The one wiring both fronts (the Functions app and the CLI) use, so they cannot drift: options bound from
/// configuration and validated at start-up, the domain services and the scan pipeline, the ARM adapters, and, when
/// <c>Compliance:Storage</c> or the host's <c>AzureWebJobsStorage</c> is set, the Table stores, the batch queue on Azure Queue Storage and the notification sinks
/// that are configured. Without a store the front supplies the in-memory drivers.
/// </summary>
public static class ComplianceServiceCollectionExtensions
{
    /// <summary>
    /// Reaches ARM with <paramref name="credential"/> and trusts exactly <paramref name="certificate"/> for its TLS (a
    /// loopback ARM emulator's); call before <see cref="AddCompliance"/>, whose own credential and client then stand back.
    /// The endpoint is the setting <c>Compliance:Arm:Endpoint</c>.
    /// </summary>
    public static IServiceCollection AddComplianceArmTrusting(this IServiceCollection services, TokenCredential credential, X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(certificate);
        services.AddSingleton(credential);
        services.AddSingleton(sp => ComplianceArmClientFactory.Create(
            sp.GetRequiredService<IOptions<ArmOptions>>().Value,
            sp.GetRequiredService<TokenCredential>(),
            certificate));
        return services;
    }

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

        services.TryAddSingleton<TokenCredential>(sp =>
        {
            // Empty means the system-assigned identity, as when the setting is listed but unset.
            var clientId = sp.GetRequiredService<IOptions<ArmOptions>>().Value.ManagedIdentityClientId;
            return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = string.IsNullOrWhiteSpace(clientId) ? null : clientId });
        });
        services.TryAddSingleton(sp => ComplianceArmClientFactory.Create(
            sp.GetRequiredService<IOptions<ArmOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<IResourceInventory, ArmResourceInventory>();
        services.TryAddSingleton<IGuestCommandRunner, ArmGuestCommandRunner>();
        services.TryAddSingleton<IPatchInstaller, ArmPatchInstaller>();
        services.TryAddSingleton<IMachineRestarter, ArmMachineRestarter>();
        services.TryAddSingleton<IAppIdentity, ArmAppIdentity>();

        // The pipeline always; its stores and queue are Azure's when a store is configured, else the front's (in memory).
        services.AddComplianceStorage();
        services.AddOptions<NotificationOptions>().Bind(configuration.GetSection(NotificationOptions.SectionName));
        services.AddOptions<Core.Exemptions.ExemptionOptions>().Bind(configuration.GetSection(Core.Exemptions.ExemptionOptions.SectionName));
        services.AddOptions<RemediationOptions>().Bind(configuration.GetSection(RemediationOptions.SectionName));
        services.AddOptions<ScanQueueOptions>().Bind(configuration.GetSection(ScanQueueOptions.SectionName));
        services.AddOptions<ResourceChangeQueueOptions>().Bind(configuration.GetSection(ResourceChangeQueueOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<TableStoreOptions>()
            .Bind(configuration.GetSection(TableStoreOptions.SectionName))
            .PostConfigure(o => HostStorageSettings.Apply(o, configuration))
            .ValidateDataAnnotations()
            .Validate(
                o => o.TableServiceUri is null || !string.IsNullOrWhiteSpace(o.ConnectionString) || o.QueueServiceUri is not null,
                $"{TableStoreOptions.SectionName}:{nameof(TableStoreOptions.QueueServiceUri)} is needed beside {nameof(TableStoreOptions.TableServiceUri)}: the batch queue lives in the same account.")
            .ValidateOnStart();
        if (HostStorageSettings.IsConfigured(configuration))
        {
            AddStore(services, configuration);
        }

        return services;
    }

    // Notifications need the store: their outbox and the policy's memory live beside each verdict.
    private static void AddStore(IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(sp => ScanBatchQueueClients.Create(
            sp.GetRequiredService<IOptions<TableStoreOptions>>().Value,
            sp.GetRequiredService<IOptions<ScanQueueOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<IScanBatchQueue, StorageScanBatchQueue>();

        // The queue Event Grid delivers resource changes to: the same account, the same contract as the batch queue.
        services.TryAddKeyedSingleton<IScanBatchQueue>(ResourceChangeQueueOptions.ServiceKey, (sp, _) =>
        {
            return new StorageScanBatchQueue(
                ScanBatchQueueClients.Create(
                    sp.GetRequiredService<IOptions<TableStoreOptions>>().Value,
                    sp.GetRequiredService<IOptions<ResourceChangeQueueOptions>>().Value.QueueName,
                    sp.GetRequiredService<TokenCredential>()),
                sp.GetRequiredService<IOptions<ScanQueueOptions>>());
        });
        // The queue a re-check waits in: the same account, the same contract.
        services.TryAddKeyedSingleton<IScanBatchQueue>(ResourceChangeQueueOptions.RecheckServiceKey, (sp, _) =>
        {
            return new StorageScanBatchQueue(
                ScanBatchQueueClients.Create(
                    sp.GetRequiredService<IOptions<TableStoreOptions>>().Value,
                    sp.GetRequiredService<IOptions<ResourceChangeQueueOptions>>().Value.RecheckQueueName,
                    sp.GetRequiredService<TokenCredential>()),
                sp.GetRequiredService<IOptions<ScanQueueOptions>>());
        });
        // The queue approved remediation steps wait in: the same account, the same contract.
        services.TryAddKeyedSingleton<IScanBatchQueue>(RemediationOptions.ServiceKey, (sp, _) =>
        {
            return new StorageScanBatchQueue(
                ScanBatchQueueClients.Create(
                    sp.GetRequiredService<IOptions<TableStoreOptions>>().Value,
                    sp.GetRequiredService<IOptions<RemediationOptions>>().Value.QueueName,
                    sp.GetRequiredService<TokenCredential>()),
                sp.GetRequiredService<IOptions<ScanQueueOptions>>());
        });
        services.TryAddSingleton(sp => TableStoreTables.Create(
            sp.GetRequiredService<IOptions<TableStoreOptions>>().Value,
            sp.GetRequiredService<TokenCredential>()));
        services.TryAddSingleton<IVerdictStore, TableVerdictStore>();
        services.TryAddSingleton<IScanLedger, TableScanLedger>();
        services.TryAddSingleton<IEventInbox, TableEventInbox>();
        services.TryAddSingleton<ILeaseStore, TableLeaseStore>();
        services.TryAddSingleton<Core.Exemptions.IExemptionStore, TableExemptionStore>();
        services.TryAddSingleton<IRemediationStore, TableRemediationStore>();

        services.AddOptions<EventGridOptions>().Bind(configuration.GetSection(EventGridOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        if (IsSet(configuration, EventGridOptions.SectionName, nameof(EventGridOptions.TopicEndpoint)))
        {
            services.AddSingleton<INotificationSink, EventGridNotificationSink>();
        }

        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        if (IsSet(configuration, WebhookOptions.SectionName, nameof(WebhookOptions.Url)))
        {
            services.AddSingleton<INotificationSink>(sp => new WebhookNotificationSink(
                sp.GetRequiredService<IOptions<WebhookOptions>>(),
                sp.GetRequiredService<IOptions<NotificationOptions>>(),
                // A webhook that redirects is refused, not followed: the signed body goes only where the settings say.
                new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }),
                sp.GetRequiredService<ILogger<WebhookNotificationSink>>()));
        }
    }

    private static bool IsSet(IConfiguration configuration, string section, string key) =>
        !string.IsNullOrWhiteSpace(configuration[$"{section}:{key}"]);
}
