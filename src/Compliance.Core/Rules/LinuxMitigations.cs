using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// What ends a Linux state that is not a full mitigation, from its cause and the settings the guest reported (the
/// mitigation parameters of <c>/proc/cmdline</c>, <c>kernel.unprivileged_bpf_disabled</c>, the SMT control).
/// </summary>
public static class LinuxMitigations
{
    /// <summary>How a boot parameter is changed, for messages.</summary>
    public const string BootParameterHowTo =
        "in the boot loader's configuration (GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub or grub2-mkconfig; or grubby) and reboot";

    private const string MitigationsOff = "mitigations=off";

    /// <summary>The remedy of <paramref name="reading"/> on the machine that reported <paramref name="report"/>.</summary>
    public static LinuxRemedy RemedyFor(LinuxStateReading reading, LinuxGuestReport report)
    {
        ArgumentNullException.ThrowIfNull(reading);
        ArgumentNullException.ThrowIfNull(report);
        var holes = reading.Holes.ToList();
        var candidates = CandidateParameters(reading, holes);
        var off = OffParametersIn(report, candidates);
        var own = holes.Select(h => h.Remedy).FirstOrDefault(r => r is not null);

        if (reading.Cause == LinuxStateCause.Module)
        {
            return new(
                RemediationAction.GuestUpdate,
                "a loaded kernel module was built without retpoline: update or remove it (modinfo shows \"retpoline: Y\" for the modules that are safe) and reboot",
                off);
        }

        if (reading.Cause == LinuxStateCause.Setting && own is not null)
        {
            return new(RemediationAction.MitigationSettings, own, off);
        }

        if (off.Count > 0)
        {
            return new(RemediationAction.MitigationSettings, $"remove {Either(off)} from the kernel command line {BootParameterHowTo}", off);
        }

        return reading.Cause switch
        {
            LinuxStateCause.Setting => new(
                RemediationAction.MitigationSettings,
                $"only a boot parameter leads there ({Either(candidates.Append(MitigationsOff).ToList())}): remove it from the kernel command line {BootParameterHowTo}",
                off),
            LinuxStateCause.Smt => new(
                RemediationAction.MitigationSettings,
                $"simultaneous multithreading leaves it open: boot with nosmt (or mitigations=auto,nosmt) {BootParameterHowTo}, or accept the risk",
                off),
            LinuxStateCause.Microcode => new(
                null,
                "it needs CPU microcode, which a VM gets only from its host: nothing in the guest can turn it on (the Azure hosts are mitigated)",
                off),
            LinuxStateCause.Hardware => new(null, own ?? "the processor is affected and the kernel has nothing to apply", off),
            _ => new(
                RemediationAction.GuestUpdate,
                own ?? "install your distribution's current kernel update and reboot",
                off,
                report.KernelParameters is null
                    ? $"unless a boot parameter turned it off: {Either(candidates.Append(MitigationsOff).ToList())}; this report does not show the command line"
                    : null),
        };
    }

    /// <summary>
    /// The reported boot parameters among <paramref name="candidates"/>, and any <c>mitigations=</c> that turns
    /// mitigations off (<c>mitigations=off</c>, or an attack vector turned off, such as <c>no_user_kernel</c> in
    /// Linux 6.17+). Empty when the guest did not report its command line.
    /// </summary>
    public static IReadOnlyList<string> OffParametersIn(LinuxGuestReport report, IReadOnlyCollection<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(candidates);
        if (report.KernelParameters is not { } parameters)
        {
            return [];
        }

        return parameters
            .Select(p => p?.Trim() ?? string.Empty)
            .Where(p => p.Length > 0 && (TurnsMitigationsOff(p) || candidates.Contains(p, StringComparer.OrdinalIgnoreCase)))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    // The parameters that lead to the holes, or the file's own "off" parameters when the holes name none.
    private static List<string> CandidateParameters(LinuxStateReading reading, List<LinuxClauseReading> holes)
    {
        var own = holes.SelectMany(h => h.Parameters).ToList();
        return (reading.Kind == LinuxStateKind.Vulnerable && holes.Count > 0 && holes[0] == reading.Clauses[0]) || own.Count == 0
            ? [.. LinuxKnownStates.For(reading.File).OffParameters, .. own]
            : own;
    }

    private static bool TurnsMitigationsOff(string parameter)
    {
        const string prefix = "mitigations=";
        if (!parameter.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return parameter[prefix.Length..].Split(',').Select(v => v.Trim()).Any(v =>
            string.Equals(v, "off", StringComparison.OrdinalIgnoreCase) || v.StartsWith("no_", StringComparison.OrdinalIgnoreCase));
    }

    private static string Either(IReadOnlyList<string> parameters) => string.Join(" or ", parameters.Distinct(StringComparer.OrdinalIgnoreCase));
}
