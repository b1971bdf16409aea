using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Compliance.Emulator.Arm;

/// <summary>
/// What the remediation scripts and a restart do to an emulated guest, on its report (the JSON the check script
/// prints). A script is recognised by its marker line (<c># compliance-remediation: &lt;name&gt;</c>), since the
/// emulator knows nothing of the app's assemblies. The registry values it writes show in the next report at once; the
/// kernel's flags (class 201 and 196) follow the registry only at the next restart, so the rules see "reboot pending"
/// in between. The unprivileged-BPF sysctl changes the report at once.
/// </summary>
internal static partial class EmulatedGuestSettings
{
    /// <summary>The marker every remediation script carries near its top.</summary>
    public const string MarkerPrefix = "# compliance-remediation: ";

    // Class 201 word 0: BTI enabled, disabled by policy, no hardware support, IA32_SPEC_CTRL / IA32_PRED_CMD enumerated;
    // MDS_NO, MDS mitigation enabled, MDS state reported. Class 196: KVA shadow enabled, required, "required" reported.
    private const uint BpbEnabled = 0x01;
    private const uint BpbDisabledSystemPolicy = 0x02;
    private const uint BpbDisabledNoHardwareSupport = 0x04;
    private const uint BtiMicrocode = 0x08 | 0x10;
    private const uint MdsHardwareProtected = 0x0100_0000;
    private const uint MbClearEnabled = 0x0200_0000;
    private const uint MbClearReported = 0x0400_0000;
    private const uint KvaShadowEnabled = 0x01;
    private const uint KvaShadowRequired = 0x10;
    private const uint KvaShadowRequiredAvailable = 0x20;

    // FeatureSettingsOverride: the two "disable" bits, and the bit of the MDS rows (72 = 0x48, 8264 = 0x2048).
    private const uint OverrideDisableBti = 0x1;
    private const uint OverrideDisableKvaShadow = 0x2;
    private const uint OverrideMds = 0x40;

    /// <summary>The remediation script's name when <paramref name="script"/> is one of them, else <see langword="null"/>.</summary>
    public static string? Recognise(IReadOnlyList<string> script)
    {
        foreach (var line in script.Take(3))
        {
            if (line.StartsWith(MarkerPrefix, StringComparison.Ordinal)
                && line[MarkerPrefix.Length..].TrimEnd('\r') is var name
                && Effect(name) is not null)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs the remediation script <paramref name="name"/> on a guest whose report is <paramref name="guest"/>: the
    /// report afterwards, and what the script prints.
    /// </summary>
    public static (JsonElement? Guest, string Stdout) Run(string name, JsonElement? guest)
    {
        var report = guest is { ValueKind: JsonValueKind.Object } element ? JsonNode.Parse(element.GetRawText())!.AsObject() : null;
        var stdout = Effect(name)!(report);
        return (report is null ? guest : JsonSerializer.SerializeToElement(report), stdout);
    }

    /// <summary>
    /// A restart at <paramref name="now"/>: the kernel's flags follow the registry the boot reads (a Windows report),
    /// and the boot time is now.
    /// </summary>
    public static JsonElement? Restart(JsonElement? guest, DateTimeOffset now)
    {
        if (guest is not { ValueKind: JsonValueKind.Object } element)
        {
            return guest;
        }

        var report = JsonNode.Parse(element.GetRawText())!.AsObject();
        if (report["os"]?.GetValueKind() == JsonValueKind.String && report["os"]!.GetValue<string>() == "Windows"
            && report["registry"] is JsonObject registry
            && Number(registry["featureSettingsOverride"]) is { } value
            && Number(registry["featureSettingsOverrideMask"]) is { } mask)
        {
            Boot(report, value, mask);
        }

        report["lastBootUtc"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return JsonSerializer.SerializeToElement(report);
    }

    private static Func<JsonObject?, string>? Effect(string name) => name switch
    {
        "windows-spectre-meltdown" => r => Override(r, 0),
        "windows-mds" => r => Override(r, 72),
        "windows-mds-without-smt" => r => Override(r, 8264),
        "windows-hyperv-min-vm-version" => MinVmVersion,
        "linux-unprivileged-bpf" => UnprivilegedBpf,
        _ => null,
    };

    // As the scripts do: clear the two disable bits, set the row's bits, keep every other bit; the mask is 3.
    private static string Override(JsonObject? report, uint bits)
    {
        var registry = Registry(report);
        var previous = Number(registry?["featureSettingsOverride"]);
        var previousMask = Number(registry?["featureSettingsOverrideMask"]);
        var value = ((previous ?? 0) & ~(OverrideDisableBti | OverrideDisableKvaShadow)) | bits;
        if (registry is not null)
        {
            registry["featureSettingsOverride"] = value;
            registry["featureSettingsOverrideMask"] = 3;
        }

        return new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"SET FeatureSettingsOverride={value} PREVIOUS={Previous(previous)}\n")
            .Append(CultureInfo.InvariantCulture, $"SET FeatureSettingsOverrideMask=3 PREVIOUS={Previous(previousMask)}\n")
            .Append("RESULT ok\n")
            .ToString();
    }

    private static string MinVmVersion(JsonObject? report)
    {
        var registry = Registry(report);
        var node = registry?["minVmVersionForCpuBasedMitigations"];
        var previous = node is null ? "absent"
            : node.GetValueKind() == JsonValueKind.String && Token().IsMatch(node.GetValue<string>()) ? node.GetValue<string>()
            : node.GetValueKind() == JsonValueKind.Number ? node.ToJsonString()
            : "invalid";
        if (registry is not null)
        {
            registry["minVmVersionForCpuBasedMitigations"] = "1.0";
        }

        return $"SET MinVmVersionForCpuBasedMitigations=1.0 PREVIOUS={previous}\nRESULT ok\n";
    }

    // The sysctl, and the kernel's own view of Spectre variant 2, which no longer names unprivileged eBPF. A report
    // without the value (a fleet written before the check reported it) counts as 0, the kernel's usual default.
    private static string UnprivilegedBpf(JsonObject? report)
    {
        var previous = Number(report?["unprivilegedBpfDisabled"]) ?? 0;
        if (report is not null)
        {
            report["unprivilegedBpfDisabled"] = 1;
            if (report["vulnerabilities"] is JsonObject files
                && files["spectre_v2"]?.GetValueKind() == JsonValueKind.String
                && files["spectre_v2"]!.GetValue<string>() is var spectreV2
                && spectreV2.Contains("unprivileged eBPF", StringComparison.OrdinalIgnoreCase))
            {
                files["spectre_v2"] = spectreV2.Contains("LFENCE", StringComparison.Ordinal)
                    ? "Mitigation: Enhanced / Automatic IBRS + LFENCE; IBPB: conditional; RSB filling; PBRSB-eIBRS: SW sequence; BHI: BHI_DIS_S"
                    : spectreV2.Contains("eIBRS", StringComparison.Ordinal)
                        ? "Mitigation: Enhanced / Automatic IBRS; IBPB: conditional; RSB filling; PBRSB-eIBRS: SW sequence; BHI: BHI_DIS_S"
                        : "Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling; PBRSB-eIBRS: Not affected; BHI: Retpoline";
            }
        }

        return $"SET kernel.unprivileged_bpf_disabled=1 PREVIOUS={previous.ToString(CultureInfo.InvariantCulture)}\nRESULT ok\n";
    }

    // What the kernel turns on at boot from the values of KB4072698: a bit the mask covers decides; the mitigations
    // still need what they always need (KVA shadow a CPU that requires it, BTI its microcode, MDS a vulnerable CPU and
    // an OS that reports it). Nothing else changes: MMIO stale data's FBClear needs the host's microcode.
    private static void Boot(JsonObject report, uint value, uint mask)
    {
        if (report["kvaShadow"] is JsonObject kva && IsOk(kva) && Number(kva["flags"]) is { } kvaFlags && (mask & OverrideDisableKvaShadow) != 0)
        {
            var required = (kvaFlags & KvaShadowRequiredAvailable) == 0 || (kvaFlags & KvaShadowRequired) != 0;
            kva["flags"] = (value & OverrideDisableKvaShadow) == 0 && required ? kvaFlags | KvaShadowEnabled : kvaFlags & ~KvaShadowEnabled;
        }

        if (report["speculationControl"] is JsonObject control && IsOk(control) && Number(control["flags"]) is { } flags)
        {
            if ((mask & OverrideDisableBti) != 0)
            {
                var microcode = (flags & BpbDisabledNoHardwareSupport) == 0 && (flags & BtiMicrocode) != 0;
                flags = (value & OverrideDisableBti) != 0
                    ? (flags & ~BpbEnabled) | BpbDisabledSystemPolicy
                    : microcode ? (flags | BpbEnabled) & ~BpbDisabledSystemPolicy : flags;
            }

            if ((value & OverrideMds) != 0 && (flags & MbClearReported) != 0 && (flags & MdsHardwareProtected) == 0)
            {
                flags |= MbClearEnabled;
            }

            control["flags"] = flags;
        }
    }

    private static JsonObject? Registry(JsonObject? report)
    {
        if (report is null)
        {
            return null;
        }

        if (report["registry"] is not JsonObject registry)
        {
            report["registry"] = registry = new JsonObject();
        }

        return registry;
    }

    private static bool IsOk(JsonObject query) =>
        query["status"]?.GetValueKind() == JsonValueKind.String && query["status"]!.GetValue<string>() == "ok";

    // A DWORD as the check reports it: unsigned, or the same bits signed.
    private static uint? Number(JsonNode? node) =>
        node?.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var number) && number >= int.MinValue && number <= uint.MaxValue
            ? unchecked((uint)number)
            : null;

    private static string Previous(uint? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "absent";

    [GeneratedRegex("^[0-9A-Za-z._-]{1,32}$", RegexOptions.CultureInvariant)]
    private static partial Regex Token();
}
