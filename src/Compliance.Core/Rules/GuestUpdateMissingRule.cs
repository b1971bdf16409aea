using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// <c>GUEST_UPDATE_MISSING</c>: the guest OS lacks the January 2018 (or later) kernel support. Windows: class 201 or
/// 196 is not supported. Linux: no vulnerabilities directory, a January 2018 file (<c>meltdown</c>, <c>spectre_v1</c>,
/// <c>spectre_v2</c>) missing, or one whose first clause says the issue is not mitigated for a reason a kernel update
/// ends (<see cref="LinuxKnownStates"/>; a state a setting causes is <c>MITIGATION_DISABLED</c> instead). Later
/// clauses (<c>; </c>, or <c>, </c> before Linux 6.9) describe sub-mitigations, judged by the later-variant rules.
/// </summary>
public sealed class GuestUpdateMissingRule : IComplianceRule
{
    /// <inheritdoc />
    public IEnumerable<Finding> Evaluate(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Windows is { } windows && WindowsMitigations.LacksJanuary2018Update(windows))
        {
            yield return ForWindows(windows);
        }
        else if (context.Linux is { } linux && LinuxProblems(context, linux) is { Count: > 0 } problems)
        {
            yield return ForLinux(linux, problems);
        }
    }

    private static List<(string Text, LinuxFinding? Finding)> LinuxProblems(AssessmentContext context, LinuxGuestReport linux)
    {
        if (linux.Vulnerabilities is null)
        {
            return [("/sys/devices/system/cpu/vulnerabilities does not exist (the kernel predates the January 2018 fixes)", null)];
        }

        var problems = new List<(string Text, LinuxFinding? Finding)>();
        foreach (var file in LinuxKnownStates.January2018Files)
        {
            if (!linux.Vulnerabilities.ContainsKey(file))
            {
                problems.Add(($"the kernel does not report {file}", null));
            }
        }

        foreach (var finding in LinuxFindings.Of(context)?.NeedsUpdate ?? [])
        {
            // The remedy is this finding's own (a kernel update); only a caveat is worth repeating per file.
            problems.Add((finding.Remedy.Note is { } note ? $"{finding.Describe()} ({note})" : finding.Describe(), finding));
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

    private static Finding ForLinux(LinuxGuestReport linux, List<(string Text, LinuxFinding? Finding)> problems)
    {
        var vulnerabilities = linux.Vulnerabilities is null
            ? null
            : LinuxKnownStates.January2018Files.ToDictionary(f => f, f => (object?)linux.Vulnerabilities.GetValueOrDefault(f), StringComparer.Ordinal);

        var message =
            $"The Linux kernel lacks the January 2018 (or later) speculative-execution fixes: {string.Join("; ", problems.Select(p => p.Text))}. " +
            $"Install your distribution's current kernel update and reboot (the {Guidance.Azure} asks Linux VM owners to take kernel updates from their distribution).";

        return new Finding(
            FindingCode.GuestUpdateMissing,
            Severity.High,
            message,
            Evidence.Of(
                ("kernel", linux.Kernel),
                ("distro", linux.Distro?.PrettyName ?? linux.Distro?.Id),
                ("vulnerabilities", vulnerabilities),
                ("readings", problems.Select(p => p.Finding).OfType<LinuxFinding>().Select(f => f.Evidence()).ToArray()),
                ("kernelParameters", linux.KernelParameters?.ToArray())),
            RemediationAction.GuestUpdate);
    }
}
