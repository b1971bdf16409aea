using Compliance.Azure;
using Compliance.Core;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Cli;

/// <summary>
/// The services of one CLI run, wired by the same <c>AddCompliance</c> the Functions app uses. Against a fleet file it
/// also owns the loopback ARM emulator: the real SDK client talks HTTPS to it with a fixed token, trusting exactly its
/// certificate.
/// </summary>
internal sealed class ScanSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly ArmEmulator? _emulator;

    private ScanSession(ServiceProvider services, ArmEmulator? emulator)
    {
        _services = services;
        _emulator = emulator;
    }

    /// <summary>The verdicts: the store's, or this run's in memory.</summary>
    public IVerdictStore Verdicts => _services.GetRequiredService<IVerdictStore>();

    /// <summary>The exemptions of the store (changes re-apply their scope at once).</summary>
    public Core.Exemptions.ExemptionService Exemptions => _services.GetRequiredService<Core.Exemptions.ExemptionService>();

    /// <summary>The scans: the store's, or this run's in memory.</summary>
    public IScanLedger Ledger => _services.GetRequiredService<IScanLedger>();

    /// <summary>The remediation plans: proposed, approved and read through the same service the API uses.</summary>
    public Core.Remediation.RemediationService Remediation => _services.GetRequiredService<Core.Remediation.RemediationService>();

    /// <summary>
    /// Scans through the service's pipeline (plan, batches on the queue, check and store each, finish): with a store, on
    /// its tables and queue, so a run that dies leaves its batches to the next one; without, on drivers in memory.
    /// </summary>
    public Task<ScanResult> ScanAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken) =>
        _services.GetRequiredService<ScanRunner>().RunAsync(request, progress, cancellationToken);

    /// <summary>Starts the emulator with <paramref name="fleet"/> and wires the services against it.</summary>
    public static async Task<ScanSession> StartForFleetAsync(FleetDocument fleet, CliSettings settings, CancellationToken cancellationToken)
    {
        var emulator = await ArmEmulator.StartAsync(fleet, cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var configuration = settings.Build(new Dictionary<string, string?>(EmulatorArm.Settings(emulator)));
            var services = new ServiceCollection();
            EmulatorArm.AddTo(services, emulator);
            return new ScanSession(Build(services, configuration, settings), emulator);
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Wires the services against Azure, with managed identity or the developer's sign-in.</summary>
    public static ScanSession StartForAzure(CliSettings settings) =>
        new(Build(new ServiceCollection(), settings.Build(new Dictionary<string, string?>()), settings), null);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (_emulator is not null)
        {
            await _emulator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static ServiceProvider Build(ServiceCollection services, IConfiguration configuration, CliSettings settings)
    {
        services.AddLogging(logging => logging
            .SetMinimumLevel(settings.Verbose ? LogLevel.Debug : LogLevel.Error)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            })
            // stdout carries the report; every log line goes to stderr.
            .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));
        services.AddCompliance(configuration);
        if (settings.StoreConnectionString is null)
        {
            // No store: the same pipeline on drivers in memory, for this run only.
            services.AddComplianceInMemoryStores();
            services.AddComplianceInMemoryQueue();
        }

        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        try
        {
            // Settings are validated now, as a host does at start-up, not at the first use.
            provider.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException ex)
        {
            provider.Dispose();
            throw new UsageException($"invalid settings: {string.Join("; ", ex.Failures)}");
        }

        try
        {
            // A connection string that does not parse is the user's input; say so now rather than mid-scan. Every store
            // shares the tables, so resolving one parses it for all.
            provider.GetService<IVerdictStore>();
        }
        catch (ArgumentException ex)
        {
            provider.Dispose();
            throw new UsageException($"the storage connection string is not valid: {ex.Message}");
        }

        return provider;
    }
}
