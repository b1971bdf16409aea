namespace Compliance.Core.Rules;

/// <summary>What one clause of a <c>/sys/devices/system/cpu/vulnerabilities</c> file says, as the kernel's sources define it.</summary>
public enum LinuxStateKind
{
    /// <summary>The CPU is not affected.</summary>
    NotAffected,

    /// <summary>The issue is mitigated (or the clause describes a part of the mitigation that is in force).</summary>
    Mitigated,

    /// <summary>The issue the file names is not mitigated.</summary>
    Vulnerable,

    /// <summary>
    /// In a January 2018 file (<c>meltdown</c>, <c>spectre_v1</c>, <c>spectre_v2</c>): the January 2018 issue is
    /// mitigated, but the clause admits a hole for a later variant (BHI, PBRSB, BHB, swapgs, LFENCE on AMD).
    /// </summary>
    LaterHole,

    /// <summary>The kernel says it cannot tell (<c>Unknown…</c>).</summary>
    Unknown,

    /// <summary>A wording the table does not know, or an empty value: nothing was established.</summary>
    Unrecognised,
}
