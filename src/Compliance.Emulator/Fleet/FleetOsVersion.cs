namespace Compliance.Emulator;

/// <summary>
/// One Guest OS release offered to Cloud Services (<c>cloudServiceOsVersions[]</c>).
/// </summary>
public sealed record FleetOsVersion
{
    /// <summary>The release string, e.g. <c>WA-GUEST-OS-5.15_201801-01</c>.</summary>
    public required string Version { get; init; }

    /// <summary>The OS family, e.g. <c>5</c>.</summary>
    public required string Family { get; init; }

    /// <summary>Whether this is the release new deployments of the family get.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Whether the release can still be deployed.</summary>
    public bool IsActive { get; init; } = true;

    /// <summary>The display label; derived from <see cref="Version"/> when absent.</summary>
    public string? Label { get; init; }

    /// <summary>The family's display label; derived from <see cref="Family"/> when absent.</summary>
    public string? FamilyLabel { get; init; }
}
