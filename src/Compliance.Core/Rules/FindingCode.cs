namespace Compliance.Core.Rules;

/// <summary>
/// A stable finding code (the fixed verdict contract). An extensible string enum, as the Azure SDK models them: new
/// codes may be added, existing ones never change meaning.
/// </summary>
public readonly struct FindingCode : IEquatable<FindingCode>
{
    private readonly string? _value;

    /// <summary>Creates a code from its text.</summary>
    public FindingCode(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The guest OS lacks the January 2018 (or later) kernel support.</summary>
    public static FindingCode GuestUpdateMissing { get; } = new("GUEST_UPDATE_MISSING");

    /// <summary>A Cloud Service pins a Guest OS older than the January 2018 releases.</summary>
    public static FindingCode CloudServiceGuestOsOutdated { get; } = new("CLOUD_SERVICE_GUEST_OS_OUTDATED");

    /// <summary>A Windows machine running untrusted code needs Kernel VA Shadowing and does not have it.</summary>
    public static FindingCode KvaShadowingRequired { get; } = new("KVA_SHADOWING_REQUIRED");

    /// <summary>A Cloud Service running untrusted code on Guest OS family 2-5: KVAS depends on an invisible startup task.</summary>
    public static FindingCode KvaShadowingUnverified { get; } = new("KVA_SHADOWING_UNVERIFIED");

    /// <summary>The update is missing and the antivirus compatibility value that gated it is not set.</summary>
    public static FindingCode AntivirusCompatKeyMissing { get; } = new("ANTIVIRUS_COMPAT_KEY_MISSING");

    /// <summary>Linux reports a later speculative-execution variant as vulnerable.</summary>
    public static FindingCode LaterVariantVulnerable { get; } = new("LATER_VARIANT_VULNERABLE");

    /// <summary>The BTI microcode is not exposed to Azure VMs by design: information, not non-compliance.</summary>
    public static FindingCode BtiMicrocodeNotExposed { get; } = new("BTI_MICROCODE_NOT_EXPOSED");

    /// <summary>Why the machine counts as running untrusted code.</summary>
    public static FindingCode UntrustedCodeHost { get; } = new("UNTRUSTED_CODE_HOST");

    /// <summary>The platform has scheduled maintenance for the machine.</summary>
    public static FindingCode HostMaintenancePending { get; } = new("HOST_MAINTENANCE_PENDING");

    /// <summary>The machine is not running.</summary>
    public static FindingCode NotRunning { get; } = new("NOT_RUNNING");

    /// <summary>The VM agent is not ready.</summary>
    public static FindingCode AgentUnavailable { get; } = new("AGENT_UNAVAILABLE");

    /// <summary>The guest check failed.</summary>
    public static FindingCode CheckFailed { get; } = new("CHECK_FAILED");

    /// <summary>The guest's output is not a readable report.</summary>
    public static FindingCode OutputUnreadable { get; } = new("OUTPUT_UNREADABLE");

    /// <summary>Whether this code says the guest could not be checked (the verdict is then Unknown).</summary>
    public bool MeansUnchecked => this == NotRunning || this == AgentUnavailable || this == CheckFailed || this == OutputUnreadable;

    /// <summary>Compares two codes.</summary>
    public static bool operator ==(FindingCode left, FindingCode right) => left.Equals(right);

    /// <summary>Compares two codes.</summary>
    public static bool operator !=(FindingCode left, FindingCode right) => !left.Equals(right);

    /// <summary>Converts text to a code.</summary>
    public static implicit operator FindingCode(string value) => new(value);

    /// <inheritdoc />
    public bool Equals(FindingCode other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FindingCode other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <inheritdoc />
    public override string ToString() => _value ?? string.Empty;
}
