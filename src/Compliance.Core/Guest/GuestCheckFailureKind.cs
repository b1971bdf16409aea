namespace Compliance.Core.Guest;

/// <summary>Why a guest could not be judged; each maps to one finding code.</summary>
public enum GuestCheckFailureKind
{
    /// <summary>The machine is not running (<c>NOT_RUNNING</c>).</summary>
    NotRunning,

    /// <summary>The VM agent is not ready, so Run Command cannot reach the guest (<c>AGENT_UNAVAILABLE</c>).</summary>
    AgentUnavailable,

    /// <summary>The check failed: Run Command errors, conflicts that outlasted the retries, timeouts (<c>CHECK_FAILED</c>).</summary>
    CheckFailed,

    /// <summary>The guest answered but its output is not a readable report (<c>OUTPUT_UNREADABLE</c>).</summary>
    OutputUnreadable,
}
