using System.Buffers;
using System.Globalization;
using System.Text.Json;

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
        // Written straight to UTF-8 rather than through JsonObject: a generated fleet of 10,000 machines makes 10,000
        // reports, and this keeps that well under a second. The random draws keep their order, so seeds replay.
        var product = _windowsProducts[random.Next(_windowsProducts.Length)];
        var amd = random.Next(5) == 0;
        var feature = untrustedFeature ? _untrustedFeatures[random.Next(_untrustedFeatures.Length)] : null;
        var failed = !patched && random.Next(10) == 0;
        var lastBoot = LastBoot(random);

        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema", 1);
            writer.WriteString("os", "Windows");
            writer.WriteStartObject("product");
            writer.WriteString("caption", product.Caption);
            writer.WriteString("version", product.Version);
            writer.WriteNumber("ubr", patched ? product.PatchedUbr : product.UnpatchedUbr);
            writer.WriteNumber("productType", 3);
            writer.WriteEndObject();
            writer.WriteStartObject("cpu");
            writer.WriteString("manufacturer", amd ? "AuthenticAMD" : "GenuineIntel");
            writer.WriteString("description", amd ? "AMD64 Family 23 Model 49 Stepping 0" : "Intel64 Family 6 Model 85 Stepping 4");
            writer.WriteEndObject();
            if (patched)
            {
                // A current OS in an Azure VM: the BTI microcode is not exposed (0x04 on Intel; AMD: BTI on without it),
                // SSBD is available (0x100), and the MDS state is reported (0x4000000) with the mitigation on
                // (0x2000000) on Intel; AMD is not affected by MDS.
                writer.WriteStartObject("speculationControl");
                writer.WriteString("status", "ok");
                writer.WriteNumber("flags", amd ? 0x0400_0101 : 0x0600_0104);
                writer.WriteNumber("flags2", 0);
                writer.WriteEndObject();

                // KVA shadow flags: 0x01 enabled, 0x10 required, 0x20 "required" is reported, 0x2000 L1TF mitigation present.
                writer.WriteStartObject("kvaShadow");
                writer.WriteString("status", "ok");
                writer.WriteNumber("flags", amd ? 0x2020 : kvaShadowEnabled ? 0x2031 : 0x2030);
                writer.WriteEndObject();
                writer.WriteStartObject("registry");
                writer.WriteNumber("featureSettingsOverride", kvaShadowEnabled ? 0 : 3);
                writer.WriteNumber("featureSettingsOverrideMask", 3);
                if (untrustedFeature && kvaShadowEnabled)
                {
                    writer.WriteString("minVmVersionForCpuBasedMitigations", "1.0");
                }
                else
                {
                    writer.WriteNull("minVmVersionForCpuBasedMitigations");
                }

                writer.WriteNumber("qualityCompat", 0);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartObject("speculationControl");
                if (failed)
                {
                    writer.WriteString("status", "error");
                    writer.WriteString("error", "0xC0000001");
                }
                else
                {
                    writer.WriteString("status", "notSupported");
                }

                writer.WriteEndObject();
                writer.WriteStartObject("kvaShadow");
                writer.WriteString("status", "notSupported");
                writer.WriteEndObject();
                writer.WriteStartObject("registry");
                writer.WriteNull("featureSettingsOverride");
                writer.WriteNull("featureSettingsOverrideMask");
                writer.WriteNull("minVmVersionForCpuBasedMitigations");
                writer.WriteNull("qualityCompat");
                writer.WriteEndObject();
            }

            writer.WriteStartArray("features");
            if (feature is not null)
            {
                writer.WriteStringValue(feature);
            }

            writer.WriteEndArray();
            writer.WriteString("lastBootUtc", lastBoot);
            writer.WriteEndObject();
        }

        return (ToElement(buffer), new FleetImage { Publisher = "MicrosoftWindowsServer", Offer = "WindowsServer", Sku = product.Sku });
    }

    /// <summary>A Linux report and the marketplace image of the distribution it reports.</summary>
    /// <param name="random">The generator's random source.</param>
    /// <param name="patched">Whether the kernel reports mitigations.</param>
    public static (JsonElement Report, FleetImage Image) Linux(Random random, bool patched)
    {
        var distro = _linuxDistros[random.Next(_linuxDistros.Length)];

        // Kernels from before the fixes either have no sysfs entries at all (null) or report "Vulnerable".
        var amd = patched && random.Next(5) == 0;
        var noEntries = !patched && random.Next(2) == 0;
        var lastBoot = LastBoot(random);

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("schema", 1);
            writer.WriteString("os", "Linux");
            writer.WriteString("kernel", patched ? distro.PatchedKernel : distro.UnpatchedKernel);
            writer.WriteStartObject("distro");
            writer.WriteString("id", distro.Id);
            writer.WriteString("versionId", distro.VersionId);
            writer.WriteString("prettyName", distro.PrettyName);
            writer.WriteEndObject();
            if (noEntries)
            {
                writer.WriteNull("vulnerabilities");
            }
            else
            {
                writer.WriteStartObject("vulnerabilities");
                writer.WriteString("meltdown", !patched ? "Vulnerable" : amd ? "Not affected" : "Mitigation: PTI");
                writer.WriteString("spectre_v1", patched ? "Mitigation: __user pointer sanitization" : "Vulnerable");
                writer.WriteString("spectre_v2", patched ? "Mitigation: Full generic retpoline" : "Vulnerable");
                writer.WriteEndObject();
            }

            writer.WriteString("lastBootUtc", lastBoot);
            writer.WriteEndObject();
        }

        return (ToElement(buffer), distro.Image);
    }

    /// <summary>The release UBR whose January 2018 update a Windows report of <paramref name="version"/> carries, when known.</summary>
    public static int? PatchedUbr(string? version) =>
        _windowsProducts.FirstOrDefault(p => string.Equals(p.Version, version, StringComparison.Ordinal)) is { Caption: not null } product
            ? product.PatchedUbr
            : null;

    private static string LastBoot(Random random)
    {
        var boot = new DateTime(2018, 1, 10, 0, 0, 0, DateTimeKind.Utc).AddHours(random.Next(24 * 60));
        return boot.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    private static JsonElement ToElement(ArrayBufferWriter<byte> buffer)
    {
        // ParseValue gives an element that owns its copy of the bytes, like Clone() of a parsed document.
        var reader = new Utf8JsonReader(buffer.WrittenSpan);
        return JsonElement.ParseValue(ref reader);
    }
}
