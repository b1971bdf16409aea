using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>GUEST_UPDATE_MISSING</c>: the guest OS lacks the January 2018 (or later) kernel support. Windows: class 201 or
/// 196 is not supported. Linux: no vulnerabilities directory, or <c>meltdown</c>, <c>spectre_v1</c> or
/// <c>spectre_v2</c> missing or starting with <c>Vulnerable</c> (case-insensitive). Only the start of the string
/// decides: suffixes after <c>,</c> or <c>;</c> (the separator changed in Linux 6.9) describe sub-mitigations.
/// </summary>
public sealed class GuestUpdateMissingRule : IComplianceRule
{
    /// <summary>The three files that carry the January 2018 issues.</summary>
    public static IReadOnlyList<string> January2018Files { get; } = ["meltdown", "spectre_v1", "spectre_v2"];

    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is { } windows && WindowsMitigations.LacksJanuary2018Update(windows))
        {
            yield return ForWindows(windows);
        }
        else if (context.Linux is { } linux && LinuxProblems(linux) is { Count: > 0 } problems)
        {
            yield return ForLinux(linux, problems);
        }
    }

    /// <summary>Whether a Linux vulnerabilities value reports the issue as unmitigated.</summary>
    public static bool IsVulnerable(string? value) =>
        value is not null && value.TrimStart().StartsWith("Vulnerable", StringComparison.OrdinalIgnoreCase);

    private static List<string> LinuxProblems(LinuxGuestReport linux)
    {
        if (linux.Vulnerabilities is null)
        {
            return ["/sys/devices/system/cpu/vulnerabilities does not exist (the kernel predates the January 2018 fixes)"];
        }

        var problems = new List<string>();
        foreach (var file in January2018Files)
        {
            if (!linux.Vulnerabilities.TryGetValue(file, out var value))
            {
                problems.Add($"the kernel does not report {file}");
            }
            else if (IsVulnerable(value))
            {
                problems.Add($"{file} is \"{value}\"");
            }
        }

        return problems;
    }

    private static Finding ForWindows(WindowsGuestReport windows)
    {
        var missing = new List<string>();
        if (windows.SpeculationControl.Status == KernelQueryStatus.NotSupported)
        {
            missing.Add("speculation control (class 201)");
        }

        if (windows.KvaShadow.Status == KernelQueryStatus.NotSupported)
        {
            missing.Add("KVA shadow (class 196)");
        }

        var product = windows.Product?.Caption is { Length: > 0 } caption ? $" for {caption}" : string.Empty;
        var message =
            $"The guest OS lacks the January 2018 (or later) security update: the kernel does not support the {string.Join(" and ", missing)} queries. " +
            $"Install the latest cumulative or security-only update{product} and reboot " +
            $"(January 2018: KB4056890 for Windows Server 2016, KB4056898 for 2012 R2, KB4056897/KB4056894 for 2008 R2; see {WindowsMitigations.GuidanceArticle(windows)} and the {Guidance.Azure}).";

        return new Finding(
            FindingCode.GuestUpdateMissing,
            Severity.High,
            message,
            Evidence.Of(
                ("speculationControl", Evidence.Query(windows.SpeculationControl, includeSecondWord: true)),
                ("kvaShadow", Evidence.Query(windows.KvaShadow, includeSecondWord: false)),
                ("product", Evidence.Product(windows.Product))),
            RemediationAction.GuestUpdate);
    }

    private static Finding ForLinux(LinuxGuestReport linux, List<string> problems)
    {
        var vulnerabilities = linux.Vulnerabilities is null
            ? null
            : January2018Files.ToDictionary(f => f, f => (object?)linux.Vulnerabilities.GetValueOrDefault(f), StringComparer.Ordinal);

        var message =
            $"The Linux kernel lacks the January 2018 (or later) speculative-execution fixes: {string.Join("; ", problems)}. " +
            $"Install your distribution's current kernel update and reboot (the {Guidance.Azure} asks Linux VM owners to take kernel updates from their distribution).";

        return new Finding(
            FindingCode.GuestUpdateMissing,
            Severity.High,
            message,
            Evidence.Of(
                ("kernel", linux.Kernel),
                ("distro", linux.Distro?.PrettyName ?? linux.Distro?.Id),
                ("vulnerabilities", vulnerabilities)),
            RemediationAction.GuestUpdate);
    }
}
