namespace Compliance.Core.Inventory;

/// <summary>The Azure VM agent's state from the instance view; Run Command needs a ready agent.</summary>
public enum AgentStatus
{
    /// <summary>The instance view did not say.</summary>
    Unknown,

    /// <summary>The agent reports Ready.</summary>
    Ready,

    /// <summary>The agent reports anything else (Not Ready, unavailable).</summary>
    NotReady,
}
