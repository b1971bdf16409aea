namespace Compliance.Emulator;

/// <summary>
/// Whether the Azure VM agent of an emulated machine reports in.
/// </summary>
public enum FleetAgentStatus
{
    /// <summary>The agent is ready (<c>Ready</c>).</summary>
    Ready,

    /// <summary>The agent does not report (<c>NotReady</c>); Run Commands fail.</summary>
    NotReady,
}
