using Azure.ResourceManager;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Emulator;
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

    public static async Task<ArmHarness> StartAsync(string fleetJson, int pageSize = 100, ArmOptions? options = null)
    {
        var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleetJson, "test fleet"), new ArmEmulatorOptions { PageSize = pageSize });
        options ??= new ArmOptions
        {
            RetryDelay = TimeSpan.FromMilliseconds(10),
            RunCommandConflictBackoff = TimeSpan.FromMilliseconds(10),
        };
        options.Endpoint = emulator.Endpoint;
        var client = ComplianceArmClientFactory.Create(options, new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
        return new ArmHarness(emulator, client, options);
    }

    public ArmResourceInventory Inventory() => new(Client, NullLogger<ArmResourceInventory>.Instance);

    public ArmGuestCommandRunner Runner() =>
        new(Client, Microsoft.Extensions.Options.Options.Create(Options), TimeProvider.System, NullLogger<ArmGuestCommandRunner>.Instance, () => 0.5);

    /// <summary>The scanner with every rule over <see cref="Inventory"/> and <see cref="Runner"/>.</summary>
    public ComplianceScanner Scanner() => new(
        Inventory(),
        Runner(),
        new ComplianceAssessor(ComplianceRules.CreateAll(), Microsoft.Extensions.Options.Options.Create(new RulesOptions()), TimeProvider.System),
        Microsoft.Extensions.Options.Options.Create(new ScanOptions { MaxConcurrency = 8 }),
        TimeProvider.System,
        NullLogger<ComplianceScanner>.Instance);

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}
