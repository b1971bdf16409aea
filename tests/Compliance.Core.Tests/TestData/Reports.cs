using Compliance.Core.Guest;

namespace Compliance.Core.Tests.TestData;

/// <summary>Builders of guest reports with patched, compliant defaults that a test changes one fact at a time.</summary>
public static class Reports
{
    public static readonly KernelQuery NotSupported = new(KernelQueryStatus.NotSupported, 0, 0, null);

    public static KernelQuery Ok(uint flags, uint flags2 = 0) => new(KernelQueryStatus.Ok, flags, flags2, null);

    public static KernelQuery Error(string code = "0xC0000001") => new(KernelQueryStatus.Error, 0, 0, code);

    /// <summary>A patched Intel Windows Server 2016 with BTI microcode exposed and KVA shadow enabled.</summary>
    public static WindowsGuestReport Windows(
        KernelQuery? speculationControl = null,
        KernelQuery? kvaShadow = null,
        WindowsRegistry? registry = null,
        IReadOnlyList<string>? features = null,
        string? manufacturer = CpuInfo.Intel,
        uint productType = 3) =>
        new(
            new WindowsProduct("Microsoft Windows Server 2016 Datacenter", "10.0.14393", 2007, productType),
            new CpuInfo(manufacturer, "Intel64 Family 6 Model 85 Stepping 4"),
            speculationControl ?? Ok(0x379),
            kvaShadow ?? Ok(0x3D),
            registry ?? new WindowsRegistry(null, null, null, 0),
            features ?? [],
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A patched Linux with the three January 2018 files mitigated.</summary>
    public static LinuxGuestReport Linux(IReadOnlyDictionary<string, string>? vulnerabilities = null, bool nullVulnerabilities = false) =>
        new(
            "5.15.0-1064-azure",
            new LinuxDistro("ubuntu", "22.04", "Ubuntu 22.04.4 LTS"),
            nullVulnerabilities ? null : vulnerabilities ?? Patched(),
            new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    public static Dictionary<string, string> Patched(params (string File, string Value)[] overrides)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["meltdown"] = "Mitigation: PTI",
            ["spectre_v1"] = "Mitigation: usercopy/swapgs barriers and __user pointer sanitization",
            ["spectre_v2"] = "Mitigation: Retpolines; IBPB: conditional; STIBP: disabled; RSB filling; PBRSB-eIBRS: Not affected; BHI: Retpoline",
            ["spec_store_bypass"] = "Mitigation: Speculative Store Bypass disabled via prctl",
        };
        foreach (var (file, value) in overrides)
        {
            files[file] = value;
        }

        return files;
    }
}
