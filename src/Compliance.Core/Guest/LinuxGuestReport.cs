using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>A Linux guest's report: the kernel's own view in <c>/sys/devices/system/cpu/vulnerabilities</c>.</summary>
/// <param name="Kernel"><c>uname -r</c>.</param>
/// <param name="Distro">The distribution.</param>
/// <param name="Vulnerabilities">
/// File name to trimmed content; <c>null</c> when the directory does not exist (a kernel without the 2018 updates).
/// A file the kernel does not have is absent.
/// </param>
/// <param name="LastBootUtc">When the guest last booted.</param>
public sealed record LinuxGuestReport(
    string? Kernel,
    LinuxDistro? Distro,
    IReadOnlyDictionary<string, string>? Vulnerabilities,
    DateTimeOffset? LastBootUtc)
    : GuestReport(OsType.Linux, LastBootUtc)
{
    /// <summary>
    /// The boot parameters of <c>/proc/cmdline</c> that select speculative-execution mitigations (the script reports
    /// only those, from a fixed list of names); <c>null</c> when unknown (an older script, or an unreadable file).
    /// </summary>
    public IReadOnlyList<string>? KernelParameters { get; init; }

    /// <summary><c>kernel.unprivileged_bpf_disabled</c> (0 allows unprivileged eBPF); <c>null</c> when unknown or absent.</summary>
    public uint? UnprivilegedBpfDisabled { get; init; }

    /// <summary><c>/sys/devices/system/cpu/smt/control</c> (<c>on</c>, <c>off</c>, <c>forceoff</c>, <c>notsupported</c>, ...); <c>null</c> when unknown.</summary>
    public string? SmtControl { get; init; }
}
