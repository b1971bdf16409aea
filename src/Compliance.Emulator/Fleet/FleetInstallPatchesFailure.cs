namespace Compliance.Emulator;

/// <summary>A failure that the emulator injects into <c>installPatches</c> on one virtual machine.</summary>
public enum FleetInstallPatchesFailure
{
    /// <summary>The POST is refused with 409 <c>OperationNotAllowed</c>, as while another operation runs on the VM (<c>conflict</c>).</summary>
    Conflict,

    /// <summary>
    /// The operation runs its latency and ends with a result whose <c>status</c> is <c>Failed</c>, with the error
    /// (<c>failed</c>); nothing is installed.
    /// </summary>
    Failed,

    /// <summary>The long-running operation itself ends <c>Failed</c> with the error, and no result (<c>operationFailed</c>).</summary>
    OperationFailed,
}
