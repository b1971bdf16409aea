namespace Compliance.Emulator.Arm;

/// <summary>When an injected connection reset cuts a request off.</summary>
internal enum ConnectionReset
{
    /// <summary>No reset.</summary>
    None,

    /// <summary>Before the request is processed: nothing happened.</summary>
    BeforeProcessing,

    /// <summary>After the request was processed: the work is done, the answer never arrives.</summary>
    AfterProcessing,
}
