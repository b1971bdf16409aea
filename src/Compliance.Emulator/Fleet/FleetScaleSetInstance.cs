using System.Collections.ObjectModel;
using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// One instance of a scale set (<c>scaleSets[].instances[]</c>).
/// </summary>
public sealed record FleetScaleSetInstance
{
    /// <summary>The instance id, unique within the scale set; the index in the file unless given.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The operating system family; the scale set's unless the file says otherwise.</summary>
    public required FleetOsType OsType { get; init; }

    /// <summary>The power state.</summary>
    public FleetPowerState PowerState { get; init; } = FleetPowerState.Running;

    /// <summary>Whether the VM agent reports in.</summary>
    public FleetAgentStatus AgentStatus { get; init; } = FleetAgentStatus.Ready;

    /// <summary>The instance's own tags, served merged over the scale set's.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The maintenance state, served as <c>maintenanceRedeployStatus</c>.</summary>
    public FleetMaintenance? Maintenance { get; init; }

    /// <summary>The guest report that a Run Command prints; <see langword="null"/> prints nothing.</summary>
    public JsonElement? Guest { get; init; }

    /// <summary>How Run Commands behave; <see langword="null"/> for immediate success.</summary>
    public FleetRunCommand? RunCommand { get; init; }
}
