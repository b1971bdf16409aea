using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The guest report after a successful <c>installPatches</c> of the Security and Critical classifications, when the
/// fleet gives none: the report the machine had, with what the January 2018 (or later) security update brings.
/// Windows: the kernel answers the speculation control (class 201) and KVA shadow (class 196) queries, with the
/// mitigations as a server leaves them by default (BTI and KVA shadow off until the KB4072698 settings turn them on),
/// and the release's patched UBR. Linux: the January 2018 files of <c>/sys/devices/system/cpu/vulnerabilities</c> that
/// were missing or <c>Vulnerable</c> report the mitigation a patched kernel prints. Either way a restart sets
/// <c>lastBootUtc</c>.
/// </summary>
internal static class PatchedGuest
{
    // What a current Azure VM reports once patched (the same values the fleet generator uses for patched machines):
    // class 201 with the BTI microcode hidden (0x04 on Intel; on AMD 0x01), SSBD available (0x100) and the MDS state
    // reported with its mitigation on (0x6000000) on Intel; class 196 with L1TF present (0x2000), KVA shadow required
    // and reported (0x30) on Intel, not required on AMD (0x20).
    private const int IntelSpeculationFlags = 0x0600_0104;
    private const int AmdSpeculationFlags = 0x0400_0101;
    private const int IntelKvaShadowFlags = 0x2030;
    private const int AmdKvaShadowFlags = 0x2020;

    // The strings a patched kernel prints (Linux 5.x: PTI, the usercopy/swapgs barriers and retpolines).
    public const string Meltdown = "Mitigation: PTI";
    public const string SpectreV1 = "Mitigation: usercopy/swapgs barriers and __user pointer sanitization";
    public const string SpectreV2 = "Mitigation: Retpolines; IBPB: conditional; IBRS_FW; STIBP: disabled; RSB filling";

    public static JsonElement Of(JsonElement? guest, FleetOsType os, DateTimeOffset? restartedAt)
    {
        var report = guest is { ValueKind: JsonValueKind.Object } current
            ? JsonNode.Parse(current.GetRawText())!.AsObject()
            : new JsonObject { ["schema"] = 1, ["os"] = os == FleetOsType.Windows ? "Windows" : "Linux" };
        if (os == FleetOsType.Windows)
        {
            PatchWindows(report);
        }
        else
        {
            PatchLinux(report);
        }

        if (restartedAt is { } boot)
        {
            report["lastBootUtc"] = boot.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        }

        return JsonSerializer.SerializeToElement(report);
    }

    private static void PatchWindows(JsonObject report)
    {
        var amd = report["cpu"]?["manufacturer"]?.GetValueKind() == JsonValueKind.String
            && string.Equals(report["cpu"]!["manufacturer"]!.GetValue<string>(), "AuthenticAMD", StringComparison.Ordinal);
        if (!IsOk(report["speculationControl"]))
        {
            report["speculationControl"] = new JsonObject { ["status"] = "ok", ["flags"] = amd ? AmdSpeculationFlags : IntelSpeculationFlags, ["flags2"] = 0 };
        }

        if (!IsOk(report["kvaShadow"]))
        {
            report["kvaShadow"] = new JsonObject { ["status"] = "ok", ["flags"] = amd ? AmdKvaShadowFlags : IntelKvaShadowFlags };
        }

        if (report["product"] is JsonObject product
            && product["version"]?.GetValueKind() == JsonValueKind.String
            && GuestReports.PatchedUbr(product["version"]!.GetValue<string>()) is { } ubr
            && (product["ubr"]?.GetValueKind() != JsonValueKind.Number || product["ubr"]!.GetValue<int>() < ubr))
        {
            product["ubr"] = ubr;
        }
    }

    private static void PatchLinux(JsonObject report)
    {
        if (report["vulnerabilities"] is not JsonObject vulnerabilities)
        {
            vulnerabilities = [];
            report["vulnerabilities"] = vulnerabilities;
        }

        Mitigate(vulnerabilities, "meltdown", Meltdown);
        Mitigate(vulnerabilities, "spectre_v1", SpectreV1);
        Mitigate(vulnerabilities, "spectre_v2", SpectreV2);
    }

    // A file a kernel update fixes: missing, or one whose state says it is vulnerable. Other states (a mitigation,
    // "Not affected", a setting that turned one off) are the kernel's own and stay.
    private static void Mitigate(JsonObject vulnerabilities, string file, string mitigation)
    {
        if (vulnerabilities[file] is not JsonValue value
            || value.GetValueKind() != JsonValueKind.String
            || value.GetValue<string>().StartsWith("Vulnerable", StringComparison.Ordinal))
        {
            vulnerabilities[file] = mitigation;
        }
    }

    private static bool IsOk(JsonNode? query) =>
        query is JsonObject o && o["status"]?.GetValueKind() == JsonValueKind.String && o["status"]!.GetValue<string>() == "ok";
}
