using Compliance.Core.Guest;

namespace Compliance.Core.Tests.TestData;

/// <summary>Builders of guest reports with patched, compliant defaults that a test changes one fact at a time.</summary>
public static class Reports
{
    public static readonly KernelQuery NotSupported = new(KernelQueryStatus.NotSupported, 0, 0, null);

    /// <summary>Class 201 of a current, mitigated Intel machine: BTI microcode and BTI on, MDS reported and mitigated.</summary>
    public const uint CurrentFlags = 0x0600_0379;

    /// <summary>Class 196 of a current Intel machine: KVA shadow required and on (with PCID), L1TF mitigation present.</summary>
    public const uint CurrentKvaFlags = 0x203D;

    public static KernelQuery Ok(uint flags, uint flags2 = 0) => new(KernelQueryStatus.Ok, flags, flags2, null);

    public static KernelQuery Error(string code = "0xC0000001") => new(KernelQueryStatus.Error, 0, 0, code);

    /// <summary>
    /// A current Intel Windows Server 2016: BTI microcode exposed and BTI enabled (class 201 <c>0x379</c>), the MDS
    /// state reported and its mitigation enabled (<c>0x6000000</c>), KVA shadow required and enabled with the L1TF
    /// mitigation present (class 196 <c>0x203D</c>).
    /// </summary>
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
            speculationControl ?? Ok(CurrentFlags),
            kvaShadow ?? Ok(CurrentKvaFlags),
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
