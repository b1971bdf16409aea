using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// The Linux report sorted into what each Linux rule reports. For the three January 2018 files: a state a kernel update
/// ends, one a setting ends, a module built without retpoline, one only the host could end (the BTI microcode Azure does
/// not expose), a later variant's hole, and a state not established. For the later files: holes, and states not
/// established.
/// </summary>
/// <param name="Report">The Linux report.</param>
/// <param name="NeedsUpdate">January 2018 files whose state a kernel update ends.</param>
/// <param name="NeedsSetting">January 2018 files whose state a setting causes.</param>
/// <param name="VulnerableModule">The <c>spectre_v2</c> file when a module built without retpoline is loaded.</param>
/// <param name="NeedsHost">January 2018 files whose state only microcode the host does not expose would end.</param>
/// <param name="NotEstablished">January 2018 files whose state was not established.</param>
/// <param name="LaterHoles">Holes of later variants, in any file.</param>
/// <param name="LaterNotEstablished">Later files whose state was not established.</param>
public sealed record LinuxFindings(
    LinuxGuestReport Report,
    IReadOnlyList<LinuxFinding> NeedsUpdate,
    IReadOnlyList<LinuxFinding> NeedsSetting,
    IReadOnlyList<LinuxFinding> VulnerableModule,
    IReadOnlyList<LinuxFinding> NeedsHost,
    IReadOnlyList<LinuxFinding> NotEstablished,
    IReadOnlyList<LinuxFinding> LaterHoles,
    IReadOnlyList<LinuxFinding> LaterNotEstablished)
{
    /// <summary>Sorts the report of <paramref name="context"/>; <c>null</c> when it has no Linux report.</summary>
    public static LinuxFindings? Of(AssessmentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Linux is not { } report)
        {
            return null;
        }

        List<LinuxFinding> update = [], setting = [], module = [], host = [], unknown = [], laterHoles = [], laterUnknown = [];
        foreach (var reading in context.LinuxStates)
        {
            var january = LinuxKnownStates.For(reading.File).IsJanuary2018;
            var finding = new LinuxFinding(reading, LinuxMitigations.RemedyFor(reading, report));
            switch (reading.Kind)
            {
                case LinuxStateKind.Unknown or LinuxStateKind.Unrecognised:
                    (january ? unknown : laterUnknown).Add(finding);
                    break;
                case LinuxStateKind.Vulnerable when january:
                    if (reading.VulnerableModule || reading.Cause == LinuxStateCause.Module)
                    {
                        module.Add(finding);
                    }

                    if (reading.Cause != LinuxStateCause.Module)
                    {
                        (finding.Remedy.Action switch
                        {
                            RemediationAction.MitigationSettings => setting,
                            null => host,
                            _ => update,
                        }).Add(finding);
                    }

                    break;
                case LinuxStateKind.Vulnerable or LinuxStateKind.LaterHole:
                    laterHoles.Add(finding);
                    break;
            }
        }

        return new LinuxFindings(report, update, setting, module, host, unknown, laterHoles, laterUnknown);
    }

    /// <summary>The settings the guest reported, as evidence.</summary>
    public IReadOnlyDictionary<string, object?> Settings() => Evidence.Of(
        ("kernelParameters", Report.KernelParameters?.ToArray()),
        ("unprivilegedBpfDisabled", Report.UnprivilegedBpfDisabled),
        ("smtControl", Report.SmtControl));
}
