using System.Text.Json;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;

namespace Compliance.Core.Remediation;

/// <summary>
/// The constant remediation scripts, embedded in this assembly and loaded once, and the choice among them for a
/// machine's findings. Each applies one KB4072698 setting on Windows, or the unprivileged-BPF sysctl on Linux; nothing
/// from ARM, tags or callers is ever put into one. Linux boot parameters are explained, never edited.
/// </summary>
public static class RemediationScripts
{
    /// <summary>FeatureSettingsOverride 0 with mask 3: the BTI and KVA shadow mitigations.</summary>
    public const string WindowsSpectreMeltdown = "windows-spectre-meltdown";

    /// <summary>FeatureSettingsOverride 72 with mask 3: MDS, TAA and MMIO stale data with the above, Hyper-Threading on.</summary>
    public const string WindowsMds = "windows-mds";

    /// <summary>FeatureSettingsOverride 8264 with mask 3: as <see cref="WindowsMds"/>, with Hyper-Threading turned off.</summary>
    public const string WindowsMdsWithoutSmt = "windows-mds-without-smt";

    /// <summary>MinVmVersionForCpuBasedMitigations "1.0" on a Hyper-V host.</summary>
    public const string WindowsHyperVMinVmVersion = "windows-hyperv-min-vm-version";

    /// <summary><c>kernel.unprivileged_bpf_disabled=1</c>, at once and persisted in <c>/etc/sysctl.d</c>.</summary>
    public const string LinuxUnprivilegedBpf = "linux-unprivileged-bpf";

    // The value each script writes: two scripts of one slot never run together, and a plan names at most one of them.
    private const string OverrideSlot = "FeatureSettingsOverride";
    private const string MinVmVersionSlot = "MinVmVersionForCpuBasedMitigations";
    private const string BpfSlot = "kernel.unprivileged_bpf_disabled";

    // Lines of Unremediable are for people and logs: bounded, whatever a stored finding holds.
    private const int MaxLineLength = 600;

    private static readonly string _kvas = FindingCode.KvaShadowingRequired.ToString();
    private static readonly string _bti = FindingCode.BtiDisabled.ToString();
    private static readonly string _mds = FindingCode.MdsMitigationDisabled.ToString();
    private static readonly string _mmio = FindingCode.MmioStaleDataUnmitigated.ToString();
    private static readonly string _hyperV = FindingCode.HyperVMinVmVersionMissing.ToString();
    private static readonly string _mitigationDisabled = FindingCode.MitigationDisabled.ToString();
    private static readonly string _laterVariant = FindingCode.LaterVariantVulnerable.ToString();

    private static readonly Lazy<IReadOnlyList<RemediationScript>> _all = new(Load);

    /// <summary>Every script, in the order a choice runs them.</summary>
    public static IReadOnlyList<RemediationScript> All => _all.Value;

    /// <summary>The script named <paramref name="name"/> (case-insensitive), or <c>null</c>.</summary>
    public static RemediationScript? Find(string name) =>
        name is null ? null : All.FirstOrDefault(s => string.Equals(s.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The scripts that remedy <paramref name="findings"/> on a machine running <paramref name="os"/>: the default of
    /// each setting the findings need, unless <paramref name="scriptNames"/> names another script for that setting.
    /// Of the FeatureSettingsOverride scripts one runs at most: <see cref="WindowsMds"/> when an MDS or MMIO stale data
    /// finding is present (72 keeps the BTI and KVA shadow bits clear, so it remedies those findings too), else
    /// <see cref="WindowsSpectreMeltdown"/>. Findings no chosen script changes are returned as lines.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// A name is unknown, is for another OS, names a second script for the same setting, or names a script that
    /// remedies none of the findings.
    /// </exception>
    public static RemediationScriptChoice Choose(OsType os, IReadOnlyList<ReportFinding> findings, IReadOnlyCollection<string>? scriptNames)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var named = ResolveNames(os, scriptNames);
        var lines = new List<string>();

        // The finding codes each slot is asked to remedy, and how strong a FeatureSettingsOverride row they need.
        var wanted = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var needsMds = false;
        foreach (var finding in findings)
        {
            if (finding is null)
            {
                continue;
            }

            var code = finding.Code;
            if (os == OsType.Windows)
            {
                if (code == _kvas && string.Equals(EvidenceString(finding, "kvaShadow", "status"), "notSupported", StringComparison.Ordinal))
                {
                    lines.Add(Line($"{_kvas}: the OS lacks KVA shadow support, so no registry value can turn it on: install the January 2018 (or later) update (GuestUpdate) first."));
                }
                else if (code == _kvas || code == _bti)
                {
                    Want(wanted, OverrideSlot, code);
                }
                else if (code == _mds || code == _mmio)
                {
                    Want(wanted, OverrideSlot, code);
                    needsMds = true;
                    if (code == _mmio)
                    {
                        lines.Add(Line($"{_mmio}: the registry values KB4072698 gives for MMIO stale data are set, but FBClear also needs microcode that a VM sees only when the Azure host exposes it; if the finding stays after the restart, contact Azure Support."));
                    }
                }
                else if (code == _hyperV)
                {
                    Want(wanted, MinVmVersionSlot, code);
                }
            }
            else if (code == _mitigationDisabled || code == _laterVariant)
            {
                LinuxReadings(finding, wanted, lines);
            }
        }

        var chosen = new List<RemediationScript>();
        foreach (var (slot, codes) in wanted)
        {
            var script = named.TryGetValue(slot, out var byName)
                ? byName
                : Find(slot switch
                {
                    OverrideSlot => needsMds ? WindowsMds : WindowsSpectreMeltdown,
                    MinVmVersionSlot => WindowsHyperVMinVmVersion,
                    _ => LinuxUnprivilegedBpf,
                })!;
            chosen.Add(script);
            foreach (var code in codes.Distinct(StringComparer.Ordinal).Where(c => !script.FindingCodes.Contains(c, StringComparer.Ordinal)))
            {
                lines.Add(Line($"{code}: {script.Name} does not change it; {Alternatives(code)} would."));
            }
        }

        foreach (var (slot, script) in named)
        {
            var codes = wanted.TryGetValue(slot, out var list) ? list : [];
            if (!codes.Any(c => script.FindingCodes.Contains(c, StringComparer.Ordinal)))
            {
                throw new ArgumentException(
                    $"The remediation script '{script.Name}' does not apply to this machine: it remedies {string.Join(", ", script.FindingCodes)}, and the machine has none of them that a script can change.",
                    nameof(scriptNames));
            }
        }

        var ordered = All.Where(s => chosen.Contains(s)).ToList();
        return new RemediationScriptChoice(ordered, lines);
    }

    private static Dictionary<string, RemediationScript> ResolveNames(OsType os, IReadOnlyCollection<string>? scriptNames)
    {
        var named = new Dictionary<string, RemediationScript>(StringComparer.Ordinal);
        foreach (var name in scriptNames ?? [])
        {
            var script = Find(name ?? string.Empty)
                ?? throw new ArgumentException(
                    $"There is no remediation script '{Shown(name)}'; the scripts are {string.Join(", ", All.Select(s => s.Name))}.",
                    nameof(scriptNames));
            if (script.Os != os)
            {
                throw new ArgumentException(
                    $"The remediation script '{script.Name}' is for {script.Os}, and this machine runs {os}.", nameof(scriptNames));
            }

            var slot = SlotOf(script);
            if (named.TryGetValue(slot, out var other) && other != script)
            {
                throw new ArgumentException(
                    $"The remediation scripts '{other.Name}' and '{script.Name}' both write {slot}: name one of them.", nameof(scriptNames));
            }

            named[slot] = script;
        }

        return named;
    }

    // The readings of a Linux finding: those whose remedy is the unprivileged-BPF sysctl are the script's; every other
    // one (a boot parameter, a kernel update, the host's microcode) is explained with its own remedy.
    private static void LinuxReadings(ReportFinding finding, Dictionary<string, List<string>> wanted, List<string> lines)
    {
        var readings = EvidenceElement(finding, "readings");
        if (readings is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            lines.Add(Line($"{finding.Code}: explained, not edited: {finding.Message}"));
            return;
        }

        foreach (var reading in array.EnumerateArray())
        {
            var file = StringProperty(reading, "file") ?? "(unnamed file)";
            var remedy = StringProperty(reading, "remedy") ?? "see the finding's message";
            if (remedy.Contains(BpfSlot + "=1", StringComparison.Ordinal))
            {
                Want(wanted, BpfSlot, finding.Code);
            }
            else
            {
                lines.Add(Line($"{finding.Code} ({file}): explained, not edited: {remedy}"));
            }
        }
    }

    private static void Want(Dictionary<string, List<string>> wanted, string slot, string code)
    {
        if (!wanted.TryGetValue(slot, out var codes))
        {
            wanted[slot] = codes = [];
        }

        codes.Add(code);
    }

    private static string Alternatives(string code) =>
        string.Join(" or ", All.Where(s => s.FindingCodes.Contains(code, StringComparer.Ordinal)).Select(s => s.Name));

    private static string SlotOf(RemediationScript script) => script.Name switch
    {
        WindowsHyperVMinVmVersion => MinVmVersionSlot,
        LinuxUnprivilegedBpf => BpfSlot,
        _ => OverrideSlot,
    };

    // Evidence comes in memory as dictionaries and arrays, or from storage as JSON elements: both are read as JSON.
    private static JsonElement? EvidenceElement(ReportFinding finding, string key)
    {
        if (finding.Evidence is null || !finding.Evidence.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        try
        {
            return value is JsonElement element ? element : JsonSerializer.SerializeToElement(value, value.GetType());
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    private static string? EvidenceString(ReportFinding finding, string key, string property) =>
        EvidenceElement(finding, key) is { ValueKind: JsonValueKind.Object } element ? StringProperty(element, property) : null;

    private static string? StringProperty(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Line(string text)
    {
        var inert = InertText.ForTerminal(text);
        return inert.Length <= MaxLineLength ? inert : string.Concat(inert.AsSpan(0, MaxLineLength - 1), "…");
    }

    private static string Shown(string? name)
    {
        var text = InertText.ForTerminal(name);
        return text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 63), "…");
    }

    private static List<RemediationScript> Load()
    {
        var kvasAndBti = new[] { _kvas, _bti };
        var mds = new[] { _mds, _mmio, _kvas, _bti };
        return
        [
            new(WindowsSpectreMeltdown, OsType.Windows, RemediationAction.KvaShadowing, kvasAndBti, IsDefault: true,
                "FeatureSettingsOverride=0, FeatureSettingsOverrideMask=3 (KB4072698): the Spectre variant 2 (BTI) and Meltdown (KVA shadow) mitigations; other bits already set are kept. Takes effect at the restart.",
                Script(OsType.Windows, "windows-spectre-meltdown.ps1"))
            { NeedsRestart = true },
            new(WindowsMds, OsType.Windows, RemediationAction.MitigationSettings, mds, IsDefault: true,
                "FeatureSettingsOverride=72, FeatureSettingsOverrideMask=3 (KB4072698): the MDS, TAA and MMIO stale data mitigations with Spectre variant 2, Meltdown, SSBD and L1TF, Hyper-Threading left on; other bits already set are kept. Takes effect at the restart.",
                Script(OsType.Windows, "windows-mds.ps1"))
            { NeedsRestart = true },
            new(WindowsMdsWithoutSmt, OsType.Windows, RemediationAction.MitigationSettings, mds, IsDefault: false,
                "FeatureSettingsOverride=8264, FeatureSettingsOverrideMask=3 (KB4072698): as windows-mds, and turns Hyper-Threading off, which halves the logical processors. Takes effect at the restart.",
                Script(OsType.Windows, "windows-mds-without-smt.ps1"))
            { NeedsRestart = true },
            new(WindowsHyperVMinVmVersion, OsType.Windows, RemediationAction.MitigationSettings, [_hyperV], IsDefault: true,
                "MinVmVersionForCpuBasedMitigations=\"1.0\" (REG_SZ) under HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Virtualization (KB4072698, the Azure guidance for nested virtualization hosts). Takes effect at the restart; each VM then needs a full shutdown and start.",
                Script(OsType.Windows, "windows-hyperv-min-vm-version.ps1"))
            { NeedsRestart = true },
            new(LinuxUnprivilegedBpf, OsType.Linux, RemediationAction.MitigationSettings, [_mitigationDisabled, _laterVariant], IsDefault: true,
                "kernel.unprivileged_bpf_disabled=1 at once (sysctl) and after every boot (/etc/sysctl.d/90-compliance-unprivileged-bpf.conf). No restart needed.",
                Script(OsType.Linux, "linux-unprivileged-bpf.sh"))
            { NeedsRestart = false },
        ];
    }

    private static GuestScript Script(OsType os, string fileName)
    {
        var name = $"Compliance.Core.Remediation.Scripts.{fileName}";
        using var stream = typeof(RemediationScripts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The remediation script resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        return new GuestScript(os, os == OsType.Windows ? "RunPowerShellScript" : "RunShellScript", reader.ReadToEnd());
    }
}
