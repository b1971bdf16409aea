using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Emulator;

/// <summary>
/// Guest reports (the JSON the guest scripts print) for generated fleets, in the report format
/// the scanner parses: schema 1, Windows or Linux.
/// </summary>
internal static class GuestReports
{
    private static readonly (string Caption, string Version, int PatchedUbr, int UnpatchedUbr, string Sku)[] _windowsProducts =
    [
        ("Microsoft Windows Server 2012 R2 Datacenter", "6.3.9600", 18894, 17415, "2012-R2-Datacenter"),
        ("Microsoft Windows Server 2016 Datacenter", "10.0.14393", 2007, 1884, "2016-Datacenter"),
        ("Microsoft Windows Server 2019 Datacenter", "10.0.17763", 1637, 1, "2019-Datacenter"),
        ("Microsoft Windows Server 2022 Datacenter", "10.0.20348", 1607, 169, "2022-datacenter"),
    ];

    private static readonly (string Id, string VersionId, string PrettyName, string PatchedKernel, string UnpatchedKernel, FleetImage Image)[] _linuxDistros =
    [
        ("ubuntu", "16.04", "Ubuntu 16.04.3 LTS", "4.13.0-1018-azure", "4.11.0-1016-azure", new FleetImage { Publisher = "Canonical", Offer = "UbuntuServer", Sku = "16.04-LTS" }),
        ("ubuntu", "18.04", "Ubuntu 18.04 LTS", "4.15.0-1013-azure", "4.15.0-1009-azure", new FleetImage { Publisher = "Canonical", Offer = "UbuntuServer", Sku = "18.04-LTS" }),
        ("centos", "7", "CentOS Linux 7 (Core)", "3.10.0-862.el7.x86_64", "3.10.0-693.el7.x86_64", new FleetImage { Publisher = "OpenLogic", Offer = "CentOS", Sku = "7.5" }),
        ("rhel", "7.5", "Red Hat Enterprise Linux Server 7.5 (Maipo)", "3.10.0-862.3.2.el7.x86_64", "3.10.0-693.11.1.el7.x86_64", new FleetImage { Publisher = "RedHat", Offer = "RHEL", Sku = "7-RAW" }),
    ];

    private static readonly string[] _untrustedFeatures = ["RDS-RD-Server", "Hyper-V", "Containers"];

    /// <summary>A Windows report and the marketplace image of the release it reports.</summary>
    /// <param name="random">The generator's random source.</param>
    /// <param name="patched">Whether the January 2018 mitigations are installed.</param>
    /// <param name="kvaShadowEnabled">Whether KVA shadow is on (when patched and the CPU needs it).</param>
    /// <param name="untrustedFeature">Whether to install a role that runs untrusted code.</param>
    public static (JsonElement Report, FleetImage Image) Windows(Random random, bool patched, bool kvaShadowEnabled, bool untrustedFeature)
    {
        var product = _windowsProducts[random.Next(_windowsProducts.Length)];
        var amd = random.Next(5) == 0;
        var features = new JsonArray();
        if (untrustedFeature)
        {
            features.Add(_untrustedFeatures[random.Next(_untrustedFeatures.Length)]);
        }

        JsonObject speculation;
        JsonObject kvaShadow;
        JsonObject registry;
        if (patched)
        {
            speculation = new JsonObject { ["status"] = "ok", ["flags"] = amd ? 0x1 : 0x3, ["flags2"] = 0 };

            // KVA shadow flags: 0x01 enabled, 0x10 required, 0x20 "required" is reported.
            var kvaFlags = amd ? 0x20 : kvaShadowEnabled ? 0x31 : 0x30;
            kvaShadow = new JsonObject { ["status"] = "ok", ["flags"] = kvaFlags };
            registry = new JsonObject
            {
                ["featureSettingsOverride"] = kvaShadowEnabled ? 0 : 3,
                ["featureSettingsOverrideMask"] = 3,
                ["minVmVersionForCpuBasedMitigations"] = untrustedFeature && kvaShadowEnabled ? "1.0" : null,
                ["qualityCompat"] = 0,
            };
        }
        else
        {
            var failed = random.Next(10) == 0;
            speculation = failed
                ? new JsonObject { ["status"] = "error", ["error"] = "0xC0000001" }
                : new JsonObject { ["status"] = "notSupported" };
            kvaShadow = new JsonObject { ["status"] = "notSupported" };
            registry = new JsonObject
            {
                ["featureSettingsOverride"] = null,
                ["featureSettingsOverrideMask"] = null,
                ["minVmVersionForCpuBasedMitigations"] = null,
                ["qualityCompat"] = null,
            };
        }

        var report = new JsonObject
        {
            ["schema"] = 1,
            ["os"] = "Windows",
            ["product"] = new JsonObject
            {
                ["caption"] = product.Caption,
                ["version"] = product.Version,
                ["ubr"] = patched ? product.PatchedUbr : product.UnpatchedUbr,
                ["productType"] = 3,
            },
            ["cpu"] = amd
                ? new JsonObject { ["manufacturer"] = "AuthenticAMD", ["description"] = "AMD64 Family 23 Model 49 Stepping 0" }
                : new JsonObject { ["manufacturer"] = "GenuineIntel", ["description"] = "Intel64 Family 6 Model 85 Stepping 4" },
            ["speculationControl"] = speculation,
            ["kvaShadow"] = kvaShadow,
            ["registry"] = registry,
            ["features"] = features,
            ["lastBootUtc"] = LastBoot(random),
        };
        return (ToElement(report), new FleetImage { Publisher = "MicrosoftWindowsServer", Offer = "WindowsServer", Sku = product.Sku });
    }

    /// <summary>A Linux report and the marketplace image of the distribution it reports.</summary>
    /// <param name="random">The generator's random source.</param>
    /// <param name="patched">Whether the kernel reports mitigations.</param>
    public static (JsonElement Report, FleetImage Image) Linux(Random random, bool patched)
    {
        var distro = _linuxDistros[random.Next(_linuxDistros.Length)];
        JsonNode? vulnerabilities;
        if (patched)
        {
            var amd = random.Next(5) == 0;
            vulnerabilities = new JsonObject
            {
                ["meltdown"] = amd ? "Not affected" : "Mitigation: PTI",
                ["spectre_v1"] = "Mitigation: __user pointer sanitization",
                ["spectre_v2"] = "Mitigation: Full generic retpoline",
            };
        }
        else
        {
            // Kernels from before the fixes have no sysfs entries at all.
            vulnerabilities = random.Next(2) == 0
                ? null
                : new JsonObject { ["meltdown"] = "Vulnerable", ["spectre_v1"] = "Vulnerable", ["spectre_v2"] = "Vulnerable" };
        }

        var report = new JsonObject
        {
            ["schema"] = 1,
            ["os"] = "Linux",
            ["kernel"] = patched ? distro.PatchedKernel : distro.UnpatchedKernel,
            ["distro"] = new JsonObject { ["id"] = distro.Id, ["versionId"] = distro.VersionId, ["prettyName"] = distro.PrettyName },
            ["vulnerabilities"] = vulnerabilities,
            ["lastBootUtc"] = LastBoot(random),
        };
        return (ToElement(report), distro.Image);
    }

    private static string LastBoot(Random random)
    {
        var boot = new DateTime(2018, 1, 10, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(24 * 60));
        return boot.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonElement ToElement(JsonObject report)
    {
        using var document = JsonDocument.Parse(report.ToJsonString());
        return document.RootElement.Clone();
    }
}
