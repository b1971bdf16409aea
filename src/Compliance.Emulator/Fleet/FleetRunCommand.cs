namespace Compliance.Emulator;

/// <summary>
/// How Run Commands behave on one machine (<c>runCommand</c> in the fleet file).
/// </summary>
public sealed record FleetRunCommand
{
    /// <summary>
    /// Milliseconds between the POST and the completion of the operation (0 or more); 0, the default, runs for the
    /// emulator's <see cref="ArmEmulatorOptions.RunCommandLatency"/> (itself 0 unless set).
    /// </summary>
    public int LatencyMs { get; init; }

    /// <summary>The failure to inject, or <see langword="null"/> for a successful run.</summary>
    public FleetRunCommandFailure? Failure { get; init; }

    /// <summary>When set, returned as stdout instead of the serialised guest report.</summary>
    public string? RawOutput { get; init; }

    /// <summary>When set, returned as the stderr stream (an extension of the fleet format).</summary>
    public string? Stderr { get; init; }
}
