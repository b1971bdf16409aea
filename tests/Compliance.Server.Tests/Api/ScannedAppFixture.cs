using System.Text.Json.Nodes;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// The app on its own with a mixed fleet, scanned once, for the read-only API tests. It has its own Azurite so the
/// tests can run beside the others.
/// </summary>
public sealed class ScannedAppFixture : IAsyncLifetime
{
    public const string CloudServiceConfiguration = """<ServiceConfiguration serviceName="legacy-api" osFamily="5" osVersion="WA-GUEST-OS-5.14_201712-01" schemaVersion="2015-04.2.6" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"><Role name="Web"><Instances count="2" /></Role></ServiceConfiguration>""";

    private readonly AzuriteFixture _azurite = new();
    private AppUnderTest? _app;

    internal AppUnderTest App => _app ?? throw new InvalidOperationException("The app has not started.");

    /// <summary>Names of the fleet's resources by ARM id.</summary>
    public static IReadOnlyDictionary<string, string> Names { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [Fleets.VmId("web-1")] = "web-1",
        [Fleets.VmId("web-2")] = "web-2",
        [Fleets.VmId("batch-1")] = "batch-1",
        [Fleets.VmId("rds-1", "rg-desk")] = "rds-1",
        [Fleets.VmId("=cmd", "-danger")] = "=cmd",
        [$"/subscriptions/{Fleets.Subscription}/resourceGroups/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api"] = "legacy-api",
        [Fleets.VmId("dev-1", "rg-dev", Fleets.OtherSubscription)] = "dev-1",
    };

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        var cloudServices = new JsonArray(new JsonObject
        {
            ["name"] = "legacy-api",
            ["resourceGroup"] = "rg-legacy",
            ["configuration"] = CloudServiceConfiguration,
        });
        var fleet = Fleets.Fleet(
            Fleets.Subscription,
            [
                Fleets.Vm("web-1"),
                Fleets.Vm("web-2", guest: Fleets.Unpatched()),
                Fleets.Vm("batch-1", power: "deallocated"),
                Fleets.Vm("rds-1", guest: Fleets.KvaOff(), os: "Windows", resourceGroup: "rg-desk"),
                // Names a spreadsheet would run as formulas: the CSV must neutralise them.
                Fleets.Vm("=cmd", resourceGroup: "-danger"),
            ],
            cloudServices: cloudServices,
            otherSubscriptionMachines: [Fleets.Vm("dev-1", guest: Fleets.Unpatched(), resourceGroup: "rg-dev")]);
        _app = await AppUnderTest.StartAsync(_azurite, fleet, settings: new Dictionary<string, string?> { ["Compliance:Api:MaxPageSize"] = "50" });
        await _app.ScanAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await _azurite.DisposeAsync();
    }
}
