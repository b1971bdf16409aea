namespace Compliance.Core.Remediation;

/// <summary>
/// What Azure said of a patch installation (the <c>VirtualMachineInstallPatchesResult</c> shape), or why it did not run.
/// </summary>
/// <param name="Status">Azure's status: <c>Succeeded</c>, <c>Failed</c>, <c>CompletedWithWarnings</c>, <c>InProgress</c> or <c>Unknown</c>; <c>Failed</c> also when the request itself failed.</param>
/// <param name="RebootStatus">Azure's <c>rebootStatus</c> (<c>NotNeeded</c>, <c>Required</c>, <c>Started</c>, <c>Failed</c>, <c>Completed</c>, <c>Unknown</c>), when it said.</param>
/// <param name="InstalledPatchCount">Patches installed.</param>
/// <param name="FailedPatchCount">Patches that failed.</param>
/// <param name="PendingPatchCount">Patches still to install (for example after the maximum duration).</param>
/// <param name="MaintenanceWindowExceeded">Whether the maximum duration ran out.</param>
/// <param name="InstallationActivityId">Azure's id of the installation, for its own logs.</param>
/// <param name="StartedAt">When Azure started it.</param>
/// <param name="Error">Azure's error, or the request's failure, as one line; <c>null</c> when none.</param>
public sealed record PatchInstallationResult(
    string Status,
    string? RebootStatus,
    int InstalledPatchCount,
    int FailedPatchCount,
    int PendingPatchCount,
    bool MaintenanceWindowExceeded,
    string? InstallationActivityId,
    DateTimeOffset? StartedAt,
    string? Error)
{
    /// <summary>Whether the installation ended as Azure's <c>Succeeded</c> or <c>CompletedWithWarnings</c>.</summary>
    public bool Completed => Status is "Succeeded" or "CompletedWithWarnings";

    /// <summary>A request that did not reach an installation (refused, throttled beyond retries, agent not ready).</summary>
    public static PatchInstallationResult NotStarted(string error) =>
        new("Failed", null, 0, 0, 0, false, null, null, error);
}
