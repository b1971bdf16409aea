using System.Text.RegularExpressions;
using Compliance.Azure;
using Compliance.Azure.ResourceManager;
using Compliance.Core;
using Compliance.Core.Inventory;
using Compliance.Core.Remediation;
using Compliance.Core.Scanning;
using Compliance.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Infra.Tests;

/// <summary>
/// The custom role's list (<see cref="ArmPermissions.Actions"/>) covers every ARM operation the adapters make: a full
/// scan of the sample fleet, then a re-check and an instance-view read of one resource of each kind, run through the real
/// SDK against the emulator, and each request it records is mapped to the RBAC action ARM checks for it. Remediation's
/// calls are held to <see cref="ArmPermissions.Actions"/> and <see cref="ArmPermissions.RemediationActions"/> together,
/// the two roles a deployment with remediation on grants.
/// </summary>
public sealed partial class ArmPermissionsTests
{
    [Fact]
    public async Task Actions_FullScanAndEventRechecks_CoverEveryRequestAndNothingUnused()
    {
        await using var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("samples", "fleet.json")), "fleet.json"));
        await using var services = Services(emulator);
        var runner = services.GetRequiredService<ScanRunner>();
        var inventory = services.GetRequiredService<IResourceInventory>();

        // No subscriptions configured: the scan lists them, as the app does when Compliance__Scan__Subscriptions is empty.
        var result = await runner.RunAsync(ScanRequest.AllSubscriptions, progress: null, CancellationToken.None);
        Assert.Empty(result.Report.Errors);
        foreach (var kind in Enum.GetValues<ResourceKind>())
        {
            var listed = result.Report.Resources.First(r => r.Kind == kind.ToString());
            var resource = await inventory.GetResourceAsync(new ResourceId(listed.Id), CancellationToken.None);
            Assert.NotNull(resource);
            if (resource is Machine machine)
            {
                // The scanner reads an instance view itself when a listing came without one.
                await inventory.GetInstanceViewAsync(machine, CancellationToken.None);
            }

            if (resource is Machine { Kind: ResourceKind.ScaleSetInstance } instance)
            {
                // A scale set's own event re-checks each of its instances.
                var scaleSet = instance.Id.Value[..instance.Id.Value.LastIndexOf("/virtualMachines/", StringComparison.OrdinalIgnoreCase)];
                Assert.NotEmpty(await inventory.GetScaleSetInstanceIdsAsync(new ResourceId(scaleSet), CancellationToken.None) ?? []);
            }
        }

        var used = emulator.Requests.Select(r => ActionOf(r.Method, r.PathAndQuery)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        var missing = used.Except(ArmPermissions.Actions, StringComparer.OrdinalIgnoreCase).ToList();
        var unused = ArmPermissions.Actions.Except(used, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(missing.Count == 0, $"Used but not in ArmPermissions.Actions: {string.Join(", ", missing)}");
        Assert.True(unused.Count == 0, $"In ArmPermissions.Actions but never used: {string.Join(", ", unused)}");
    }

    [Fact]
    public async Task RemediationActions_RemediationAdapters_CallNothingBeyondBothRolesAndEveryRemediationActionIsUsed()
    {
        await using var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("samples", "fleet.json")), "fleet.json"));
        await using var services = Services(emulator);
        var inventory = services.GetRequiredService<IResourceInventory>();
        var machines = new List<Machine>();
        await foreach (var subscription in inventory.GetSubscriptionsAsync(CancellationToken.None))
        {
            await foreach (var resource in inventory.GetResourcesAsync(subscription.SubscriptionId, CancellationToken.None))
            {
                if (resource is Machine { PowerState: PowerState.Running } machine)
                {
                    machines.Add(machine);
                }
            }
        }

        var vm = machines.First(m => m.Kind == ResourceKind.VirtualMachine);
        var instance = machines.First(m => m.Kind == ResourceKind.ScaleSetInstance);
        var before = emulator.Requests.Count;

        var installed = await services.GetRequiredService<IPatchInstaller>().InstallAsync(vm, new PatchInstallation(TimeSpan.FromHours(1), RebootSetting.IfRequired), CancellationToken.None);
        Assert.True(installed.Completed, installed.Error);

        // The restart adapter, where it is registered, is held to the same lists.
        var restarter = services.GetService<IMachineRestarter>();
        if (restarter is not null)
        {
            Assert.Null(await restarter.RestartAsync(vm, CancellationToken.None));
            Assert.Null(await restarter.RestartAsync(instance, CancellationToken.None));
        }

        var used = emulator.Requests.Skip(before).Select(r => ActionOf(r.Method, r.PathAndQuery)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var granted = ArmPermissions.Actions.Concat(ArmPermissions.RemediationActions).ToList();
        var missing = used.Except(granted, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.True(missing.Count == 0, $"Used by remediation but in neither ArmPermissions.Actions nor RemediationActions: {string.Join(", ", missing)}");
        // The installation's operation is polled where the scanner role already allows it.
        Assert.Contains("Microsoft.Compute/locations/operations/read", used);
        Assert.Contains("Microsoft.Compute/virtualMachines/installPatches/action", used);
        var unused = ArmPermissions.RemediationActions.Except(used, StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(
            restarter is null ? ["Microsoft.Compute/virtualMachines/restart/action", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action"] : [],
            unused);
    }

    [Fact]
    public void RemediationActions_KeptApartFromTheScansActions() =>
        Assert.Empty(ArmPermissions.RemediationActions.Intersect(ArmPermissions.Actions, StringComparer.OrdinalIgnoreCase));

    [Theory]
    [InlineData("POST", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/installPatches?api-version=1", "Microsoft.Compute/virtualMachines/installPatches/action")]
    [InlineData("POST", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/restart?api-version=1", "Microsoft.Compute/virtualMachines/restart/action")]
    [InlineData("POST", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/3/restart?api-version=1", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action")]
    [InlineData("GET", "/subscriptions/s1/providers/Microsoft.Compute/locations/westeurope/operations/abc?monitor=true&api-version=1", "Microsoft.Compute/locations/operations/read")]
    [InlineData("GET", "/subscriptions?api-version=2022-12-01", "Microsoft.Resources/subscriptions/read")]
    [InlineData("GET", "/subscriptions/s1/providers/Microsoft.Compute/virtualMachines?api-version=2024-07-01&statusOnly=true", "Microsoft.Compute/virtualMachines/read")]
    [InlineData("GET", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/instanceView?api-version=1", "Microsoft.Compute/virtualMachines/instanceView/read")]
    [InlineData("POST", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm/runCommand?api-version=1", "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData("GET", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Compute/virtualMachineScaleSets/ss/virtualMachines/3?api-version=1", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/read")]
    [InlineData("GET", "/subscriptions/s1/providers/Microsoft.Compute/locations/westeurope/operations/abc?api-version=1", "Microsoft.Compute/locations/operations/read")]
    [InlineData("GET", "/subscriptions/s1/providers/Microsoft.Compute/locations/westeurope/cloudServiceOsVersions?api-version=1", "Microsoft.Compute/locations/cloudServiceOsVersions/read")]
    public void ActionOf_ArmRequest_IsTheRbacAction(string method, string path, string expected) =>
        Assert.Equal(expected, ActionOf(method, path));

    // ARM's rule: the provider namespace, then the resource type segments (names dropped), then the verb: GET -> read,
    // PUT/PATCH -> write, DELETE -> delete, POST {name} -> {name}/action. A request on /subscriptions itself is
    // Microsoft.Resources/subscriptions.
    internal static string ActionOf(string method, string pathAndQuery)
    {
        var path = pathAndQuery.Split('?')[0].Trim('/');
        var segments = path.Split('/');
        var provider = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        string type;
        var post = method.Equals("POST", StringComparison.OrdinalIgnoreCase);
        if (provider < 0)
        {
            Assert.Matches(SubscriptionPath(), path);
            type = "Microsoft.Resources/subscriptions";
        }
        else
        {
            var rest = segments[(provider + 2)..];
            var typeSegments = new List<string> { segments[provider + 1] };
            // Types at even offsets, names at odd ones; a POST ends in its action name instead of a type.
            var last = post ? rest.Length - 1 : rest.Length;
            for (var i = 0; i < last; i += 2)
            {
                typeSegments.Add(rest[i]);
            }

            type = string.Join('/', typeSegments);
            if (post)
            {
                return $"{type}/{rest[^1]}/action";
            }
        }

        return method.ToUpperInvariant() switch
        {
            "GET" => $"{type}/read",
            "PUT" or "PATCH" => $"{type}/write",
            "DELETE" => $"{type}/delete",
            _ => throw new ArgumentException($"Unexpected method {method}.", nameof(method)),
        };
    }

    private static ServiceProvider Services(ArmEmulator emulator)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Compliance:Arm:Endpoint"] = emulator.Endpoint.ToString(),
            ["Compliance:Arm:RetryDelay"] = "00:00:00.010",
            ["Compliance:Arm:RunCommandConflictBackoff"] = "00:00:00.010",
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<TimeProvider>(TimeProvider.System);
        services.AddComplianceArmTrusting(new StaticTokenCredential(emulator.AccessToken), emulator.Certificate);
        services.AddCompliance(configuration);
        services.AddComplianceInMemoryStores();
        services.AddComplianceInMemoryQueue();
        return services.BuildServiceProvider();
    }

    [GeneratedRegex("^subscriptions(/[^/]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SubscriptionPath();
}
