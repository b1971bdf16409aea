using System.Collections.ObjectModel;

namespace Compliance.Emulator;

/// <summary>
/// One virtual machine scale set of the fleet (<c>subscriptions[].scaleSets[]</c>).
/// </summary>
public sealed record FleetScaleSet
{
    /// <summary>The scale set name, unique (case-insensitively) within its resource group.</summary>
    public required string Name { get; init; }

    /// <summary>The resource group that holds the scale set.</summary>
    public required string ResourceGroup { get; init; }

    /// <summary>The Azure region; <c>westeurope</c> unless the file says otherwise.</summary>
    public string Location { get; init; } = "westeurope";

    /// <summary>The operating system family, the default of every instance.</summary>
    public required FleetOsType OsType { get; init; }

    /// <summary>The VM size of the instances; <c>Standard_D2s_v3</c> unless the file says otherwise.</summary>
    public string VmSize { get; init; } = "Standard_D2s_v3";

    /// <summary>The image reference; when absent a stock image of the OS family is served.</summary>
    public FleetImage? Image { get; init; }

    /// <summary>The scale set's tags, inherited by every instance.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The instances.</summary>
    public IReadOnlyList<FleetScaleSetInstance> Instances { get; init; } = [];
}
