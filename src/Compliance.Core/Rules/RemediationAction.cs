namespace Compliance.Core.Rules;

/// <summary>What the owner of a resource has to do.</summary>
public enum RemediationAction
{
    /// <summary>Install the January 2018 (or later) security updates in the guest, or move to a current Guest OS.</summary>
    GuestUpdate,

    /// <summary>Turn on Kernel Virtual Address Shadowing (KB4072698).</summary>
    KvaShadowing,

    /// <summary>
    /// Turn on, by configuration, a mitigation the OS already has: a registry value on Windows (KB4072698), a boot
    /// parameter or a sysctl on Linux.
    /// </summary>
    MitigationSettings,
}
