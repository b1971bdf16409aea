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

    /// <summary>
    /// A January 2018 mitigation the Linux kernel has is turned off by a setting (a boot parameter or a sysctl).
    /// </summary>
    public static FindingCode MitigationDisabled { get; } = new("MITIGATION_DISABLED");

    /// <summary>A Linux kernel module built without retpoline is loaded: the Spectre variant 2 mitigation has a hole.</summary>
    public static FindingCode VulnerableModuleLoaded { get; } = new("VULNERABLE_MODULE_LOADED");

    /// <summary>
    /// The state of a January 2018 issue was not established: the kernel says it cannot tell, or reports it in a
    /// wording this version does not know, or reports nothing. The verdict is then Unknown.
    /// </summary>
    public static FindingCode MitigationStateUnknown { get; } = new("MITIGATION_STATE_UNKNOWN");

    /// <summary>Linux reports a later speculative-execution variant as vulnerable.</summary>
    public static FindingCode LaterVariantVulnerable { get; } = new("LATER_VARIANT_VULNERABLE");

    /// <summary>Linux reports a later variant in a state this version does not know, or says it cannot tell.</summary>
    public static FindingCode LaterVariantUnverified { get; } = new("LATER_VARIANT_UNVERIFIED");

    /// <summary>Windows: the branch target injection mitigation is not enabled although its microcode is visible.</summary>
    public static FindingCode BtiDisabled { get; } = new("BTI_DISABLED");

    /// <summary>Windows: the CPU is vulnerable to L1TF and the OS predates the August 2018 update.</summary>
    public static FindingCode L1tfUpdateMissing { get; } = new("L1TF_UPDATE_MISSING");

    /// <summary>Windows: the OS does not report its MDS state, so it predates the May 2019 update.</summary>
    public static FindingCode MdsUpdateMissing { get; } = new("MDS_UPDATE_MISSING");

    /// <summary>Windows: the CPU is vulnerable to MDS and the OS's mitigation is not enabled.</summary>
    public static FindingCode MdsMitigationDisabled { get; } = new("MDS_MITIGATION_DISABLED");

    /// <summary>Windows: the CPU is vulnerable to MMIO stale data and FBClear is not enabled.</summary>
    public static FindingCode MmioStaleDataUnmitigated { get; } = new("MMIO_STALE_DATA_UNMITIGATED");

    /// <summary>Windows: a Hyper-V host lacks MinVmVersionForCpuBasedMitigations = 1.0.</summary>
    public static FindingCode HyperVMinVmVersionMissing { get; } = new("HYPERV_MIN_VM_VERSION_MISSING");

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

    /// <summary>Whether this code says the guest could not be (fully) checked (the verdict is then Unknown).</summary>
    public bool MeansUnchecked =>
        this == NotRunning || this == AgentUnavailable || this == CheckFailed || this == OutputUnreadable || this == MitigationStateUnknown;

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
