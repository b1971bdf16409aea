namespace Compliance.Emulator;

/// <summary>
/// A failure that the emulator injects into Run Commands on one machine.
/// </summary>
public enum FleetRunCommandFailure
{
    /// <summary>The POST is refused with 409 <c>Conflict</c> (<c>conflict</c>).</summary>
    Conflict,

    /// <summary>The operation ends failed with <c>VMExtensionProvisioningTimeout</c> after the latency (<c>timeout</c>).</summary>
    Timeout,

    /// <summary>The POST is refused with 500 <c>InternalExecutionError</c> (<c>internalError</c>).</summary>
    InternalError,

    /// <summary>The operation ends failed with <c>VMAgentStatusCommunicationError</c> after the latency (<c>agentNotReady</c>).</summary>
    AgentNotReady,
}
