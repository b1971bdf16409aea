using Compliance.Core.Inventory;

namespace Compliance.Core.Tests.TestData;

/// <summary>Builders of inventory resources.</summary>
public static class Resources
{
    public const string Subscription = "11111111-1111-1111-1111-111111111111";

    public static Machine Vm(
        string name = "vm-01",
        OsType? os = OsType.Windows,
        PowerState power = PowerState.Running,
        IReadOnlyDictionary<string, string>? tags = null,
        MachineInstanceView? view = null) =>
        new(
            new ResourceId($"/subscriptions/{Subscription}/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachines/{name}"),
            ResourceKind.VirtualMachine,
            name,
            "westeurope",
            os,
            power,
            tags ?? new Dictionary<string, string>(),
            view);

    public static Machine Instance(string scaleSet = "ss", string instanceId = "0", OsType os = OsType.Linux, MachineInstanceView? view = null) =>
        new(
            new ResourceId($"/subscriptions/{Subscription}/resourceGroups/rg-test/providers/Microsoft.Compute/virtualMachineScaleSets/{scaleSet}/virtualMachines/{instanceId}"),
            ResourceKind.ScaleSetInstance,
            $"{scaleSet}_{instanceId}",
            "westeurope",
            os,
            PowerState.Running,
            new Dictionary<string, string>(),
            view ?? new MachineInstanceView(AgentStatus.Ready, null));

    public static CloudService CloudService(string? configuration, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<GuestOsRelease>? catalogue = null, string name = "cs-01") =>
        new(
            new ResourceId($"/subscriptions/{Subscription}/resourceGroups/rg-test/providers/Microsoft.Compute/cloudServices/{name}"),
            name,
            "westeurope",
            tags ?? new Dictionary<string, string>(),
            configuration,
            2,
            catalogue ?? []);

    public static string Cscfg(string? osFamily, string? osVersion)
    {
        var attributes = " serviceName=\"svc\"";
        if (osFamily is not null)
        {
            attributes += $" osFamily=\"{osFamily}\"";
        }

        if (osVersion is not null)
        {
            attributes += $" osVersion=\"{osVersion}\"";
        }

        return $"<ServiceConfiguration{attributes} schemaVersion=\"2015-04.2.6\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration\"><Role name=\"Web\"><Instances count=\"2\" /></Role></ServiceConfiguration>";
    }

    public static IReadOnlyDictionary<string, string> Tags(params (string Key, string Value)[] tags) =>
        tags.ToDictionary(t => t.Key, t => t.Value);
}
