using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Compliance.Azure.ResourceManager;
using Compliance.Core;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Queues;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Azure.Tests.ResourceManager;

/// <summary>
/// The ARM emulator on a free loopback port and the production adapters pointed at it through the real
/// <see cref="ArmClient"/>: HTTPS, a fixed bearer token, and trust in exactly the emulator's certificate.
/// </summary>
internal sealed class ArmHarness : IAsyncDisposable
{
    private ArmHarness(ArmEmulator emulator, ArmClient client, ArmOptions options)
    {
        Emulator = emulator;
        Client = client;
        Options = options;
    }

    public ArmEmulator Emulator { get; }

    public ArmClient Client { get; }

    public ArmOptions Options { get; }

    /// <param name="fleetJson">The fleet.</param>
    /// <param name="pageSize">Items per page of the emulator's lists.</param>
    /// <param name="options">The scanner's ARM settings; short back-offs when <see langword="null"/>.</param>
    /// <param name="runCommandOutputInStatus">Whether a Run Command's operation status carries its result (Compute's way) or only its Location does.</param>
    /// <param name="interceptor">Answers the requests it chooses instead of the emulator, for answers no emulator gives.</param>
    /// <param name="installPatchesLatency">How long the emulator's <c>installPatches</c> runs on machines whose fleet entry says nothing.</param>
    public static async Task<ArmHarness> StartAsync(
        string fleetJson,
        int pageSize = 100,
        ArmOptions? options = null,
        bool runCommandOutputInStatus = true,
        Func<HttpRequestMessage, HttpResponseMessage?>? interceptor = null,
        TimeSpan installPatchesLatency = default)
    {
        var emulator = await ArmEmulator.StartAsync(
            FleetDocument.Parse(fleetJson, "test fleet"),
            new ArmEmulatorOptions { PageSize = pageSize, RunCommandOutputInStatus = runCommandOutputInStatus, InstallPatchesLatency = installPatchesLatency });
        options ??= new ArmOptions
        {
            RetryDelay = TimeSpan.FromMilliseconds(10),
            RunCommandConflictBackoff = TimeSpan.FromMilliseconds(10),
        };
        options.Endpoint = emulator.Endpoint;
        var client = interceptor is null
            ? ComplianceArmClientFactory.Create(options, new StaticTokenCredential(emulator.AccessToken), emulator.Certificate)
            : new ArmClient(
                new StaticTokenCredential(emulator.AccessToken),
                defaultSubscriptionId: null,
                new ArmClientOptions
                {
                    Environment = new ArmEnvironment(emulator.Endpoint, options.Audience),
                    Transport = new HttpClientTransport(new Intercepting(interceptor, PinnedCertificateHandler.Create(emulator.Certificate))),
                    Retry = { MaxRetries = 0 },
                });
        return new ArmHarness(emulator, client, options);
    }

    public ArmResourceInventory Inventory() => new(Client, NullLogger<ArmResourceInventory>.Instance);

    public ArmGuestCommandRunner Runner() =>
        new(Client, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<ArmGuestCommandRunner>.Instance, () => 0.5);

    public ArmPatchInstaller Installer() => new(Client, TimeProvider.System, NullLogger<ArmPatchInstaller>.Instance);

    /// <summary>
    /// Scans every subscription through the scan pipeline, on drivers in memory, over <see cref="Inventory"/> and
    /// <see cref="Runner"/> with every rule; every verdict as judged, and the scan's errors.
    /// </summary>
    public async Task<(IReadOnlyList<Assessment> Assessments, IReadOnlyList<ReportError> Errors)> ScanAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IResourceInventory>(Inventory());
        services.AddSingleton<IGuestCommandRunner>(Runner());
        services.AddOptions<ScanOptions>().Configure(o => o.MaxConcurrency = 8);
        services.AddOptions<ScanQueueOptions>().Configure(o => o.MaxPollingInterval = TimeSpan.FromMilliseconds(100));
        services.AddComplianceStorage();
        services.AddComplianceInMemoryStores();
        services.AddComplianceInMemoryQueue();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var scan = await PipelineScan.RunAsync(
            provider.GetRequiredService<ScanPipeline>(),
            provider.GetRequiredService<ScanBatchWorker>(),
            provider.GetRequiredService<IScanLedger>(),
            ScanRequest.AllSubscriptions);
        return (scan.Assessments, scan.Errors);
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();

    private sealed class Intercepting(Func<HttpRequestMessage, HttpResponseMessage?> interceptor, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            interceptor(request) is { } answer ? Task.FromResult(answer) : base.SendAsync(request, cancellationToken);
    }
}
