using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// How Azure's patch installation (<c>installPatches</c>) behaves on one virtual machine (<c>installPatches</c> in the
/// fleet file). Without it, an installation succeeds after the emulator's
/// <see cref="ArmEmulatorOptions.InstallPatchesLatency"/>, needs a reboot, and patches the guest report
/// (<see cref="PatchedGuest"/>).
/// </summary>
public sealed record FleetInstallPatches
{
    /// <summary>
    /// Milliseconds between the POST and the end of the operation (0 or more); 0, the default, runs for the emulator's
    /// <see cref="ArmEmulatorOptions.InstallPatchesLatency"/>.
    /// </summary>
    public int LatencyMs { get; init; }

    /// <summary>The failure to inject, or <see langword="null"/> for a successful installation.</summary>
    public FleetInstallPatchesFailure? Failure { get; init; }

    /// <summary>The error code of an injected failure; a default per failure when unset.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message of an injected failure; a default per failure when unset.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>
    /// Whether the updates need a restart to take effect (kernel and cumulative updates do); <see langword="true"/>
    /// by default. With <c>rebootSetting</c> <c>Never</c> such an installation ends with <c>rebootStatus</c>
    /// <c>Required</c> and the guest report does not change until a restart.
    /// </summary>
    public bool RebootRequired { get; init; } = true;

    /// <summary>How many patches a successful installation reports installed; 1 or more, 2 by default.</summary>
    public int InstalledPatchCount { get; init; } = 2;

    /// <summary>
    /// The guest report after a successful installation; when <see langword="null"/>, the current report with the
    /// January 2018 support a security update brings (see <c>docs/emulator.md</c>).
    /// </summary>
    public JsonElement? PatchedGuest { get; init; }
}
