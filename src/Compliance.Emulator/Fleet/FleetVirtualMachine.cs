using System.Collections.ObjectModel;
using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// One virtual machine of the fleet (<c>subscriptions[].virtualMachines[]</c>).
/// </summary>
public sealed record FleetVirtualMachine
{
    /// <summary>The VM name, unique (case-insensitively) within its resource group.</summary>
    public required string Name { get; init; }

    /// <summary>The resource group that holds the VM.</summary>
    public required string ResourceGroup { get; init; }

    /// <summary>The Azure region; <c>westeurope</c> unless the file says otherwise.</summary>
    public string Location { get; init; } = "westeurope";

    /// <summary>The operating system family.</summary>
    public required FleetOsType OsType { get; init; }

    /// <summary>The VM size; <c>Standard_D2s_v3</c> unless the file says otherwise.</summary>
    public string VmSize { get; init; } = "Standard_D2s_v3";

    /// <summary>The image reference; when absent a stock image of the OS family is served.</summary>
    public FleetImage? Image { get; init; }

    /// <summary>The power state.</summary>
    public FleetPowerState PowerState { get; init; } = FleetPowerState.Running;

    /// <summary>Whether the VM agent reports in.</summary>
    public FleetAgentStatus AgentStatus { get; init; } = FleetAgentStatus.Ready;

    /// <summary>The resource tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The maintenance state, served as <c>maintenanceRedeployStatus</c>.</summary>
    public FleetMaintenance? Maintenance { get; init; }

    /// <summary>The guest report that a Run Command prints; <see langword="null"/> prints nothing.</summary>
    public JsonElement? Guest { get; init; }

    /// <summary>How Run Commands behave; <see langword="null"/> for immediate success.</summary>
    public FleetRunCommand? RunCommand { get; init; }

    /// <summary>How <c>installPatches</c> behaves; <see langword="null"/> for a successful installation.</summary>
    public FleetInstallPatches? InstallPatches { get; init; }
}
