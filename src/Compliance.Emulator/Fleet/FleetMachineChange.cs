using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// The parts of a virtual machine or scale-set instance that <see cref="ArmEmulator.UpdateMachine"/> can change
/// while the emulator runs; everything else about the machine stays as the fleet describes it.
/// </summary>
public sealed record FleetMachineChange
{
    /// <summary>The power state.</summary>
    public FleetPowerState PowerState { get; init; }

    /// <summary>Whether the VM agent reports in.</summary>
    public FleetAgentStatus AgentStatus { get; init; }

    /// <summary>The guest report that a Run Command prints; <see langword="null"/> prints nothing.</summary>
    public JsonElement? Guest { get; init; }

    /// <summary>How Run Commands behave; <see langword="null"/> for immediate success.</summary>
    public FleetRunCommand? RunCommand { get; init; }
}
