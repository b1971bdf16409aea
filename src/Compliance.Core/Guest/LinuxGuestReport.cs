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
    : GuestReport(OsType.Linux, LastBootUtc);
