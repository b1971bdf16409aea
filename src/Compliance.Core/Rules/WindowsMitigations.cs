using System.Globalization;
using System.Text.RegularExpressions;
using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// The meaning of the Windows kernel flags as Microsoft's SpeculationControl module reads them
/// (<c>SpeculationControl.psm1</c> 1.0.18: <c>NtQuerySystemInformation</c> class 201, two words, and class 196), and
/// the judgements the Windows rules share.
/// </summary>
public static partial class WindowsMitigations
{
    /// <summary>Class 201, word 0 (scfBpbEnabled): the branch target injection (BTI) mitigation is enabled.</summary>
    public const uint BpbEnabled = 0x01;

    /// <summary>Class 201, word 0 (scfBpbDisabledSystemPolicy): BTI is disabled by system policy (the registry).</summary>
    public const uint BpbDisabledSystemPolicy = 0x02;

    /// <summary>Class 201, word 0 (scfBpbDisabledNoHardwareSupport): BTI is disabled for lack of hardware support.</summary>
    public const uint BpbDisabledNoHardwareSupport = 0x04;

    /// <summary>Class 201, word 0: IA32_SPEC_CTRL enumerated (BTI microcode present).</summary>
    public const uint SpecCtrlEnumerated = 0x08;

    /// <summary>Class 201, word 0: IA32_PRED_CMD enumerated (BTI microcode present).</summary>
    public const uint PredCmdEnumerated = 0x10;

    /// <summary>Class 201, word 0 (scfMdsHardwareProtected): the CPU is not vulnerable to MDS (MDS_NO).</summary>
    public const uint MdsHardwareProtected = 0x0100_0000;

    /// <summary>Class 201, word 0 (scfMbClearEnabled): the MDS mitigation (buffer clearing) is enabled.</summary>
    public const uint MbClearEnabled = 0x0200_0000;

    /// <summary>Class 201, word 0 (scfMbClearReported): the OS reports its MDS state (the May 2019 update).</summary>
    public const uint MbClearReported = 0x0400_0000;

    /// <summary>Class 201, word 1 (scf2SbdrSsdpHardwareProtected): not vulnerable to SBDR/SSDP (MMIO stale data).</summary>
    public const uint SbdrSsdpHardwareProtected = 0x01;

    /// <summary>Class 201, word 1 (scf2FbsdpHardwareProtected): not vulnerable to FBSDP (MMIO stale data).</summary>
    public const uint FbsdpHardwareProtected = 0x02;

    /// <summary>Class 201, word 1 (scf2PsdpHardwareProtected): not vulnerable to PSDP (MMIO stale data).</summary>
    public const uint PsdpHardwareProtected = 0x04;

    /// <summary>Class 201, word 1 (scf2FbClearEnabled): the MMIO stale data mitigation (FBClear) is enabled.</summary>
    public const uint FbClearEnabled = 0x08;

    /// <summary>Class 201, word 1 (scf2FbClearReported): the OS reports its MMIO stale data state.</summary>
    public const uint FbClearReported = 0x10;

    /// <summary>Class 201, word 1: the kernel reports the RDCL_NO state.</summary>
    public const uint RdclHardwareProtectedReported = 0x800;

    /// <summary>Class 201, word 1: RDCL_NO, the CPU is not vulnerable to rogue data cache load (Meltdown).</summary>
    public const uint RdclHardwareProtected = 0x1000;

    /// <summary>Class 196: KVA shadow is enabled.</summary>
    public const uint KvaShadowEnabled = 0x01;

    /// <summary>Class 196: KVA shadow is required (valid only with <see cref="KvaShadowRequiredAvailable"/>).</summary>
    public const uint KvaShadowRequired = 0x10;

    /// <summary>Class 196: the kernel reports whether KVA shadow is required.</summary>
    public const uint KvaShadowRequiredAvailable = 0x20;

    /// <summary>Class 196 (l1tfInvalidPteBitMask): the PTE bit the L1TF mitigation inverts, shifted by 6.</summary>
    public const uint L1tfInvalidPteBitMask = 0xFC0;

    /// <summary>Class 196 (l1tfFlushSupportedFlag): L1 data cache flush is supported.</summary>
    public const uint L1dFlushSupported = 0x1000;

    /// <summary>Class 196 (l1tfMitigationPresentFlag): the OS has the L1TF mitigation (the August 2018 update).</summary>
    public const uint L1tfMitigationPresent = 0x2000;

    /// <summary>FeatureSettingsOverride bit that disables the BTI mitigation (KB4072698: 0 enables, 1 or 3 disables).</summary>
    public const uint OverrideDisableBti = 0x1;

    /// <summary>FeatureSettingsOverride bit that disables KVA shadow (KB4072698: 0 enables, 2 or 3 disables).</summary>
    public const uint OverrideDisableKvaShadow = 0x2;

    /// <summary>The vendor string of Hygon's processors (licensed AMD Zen cores).</summary>
    public const string Hygon = "HygonGenuine";

    /// <summary>
    /// Whether the kernel lacks the January 2018 update: class 201 or class 196 is not supported
    /// (STATUS_INVALID_INFO_CLASS / STATUS_NOT_IMPLEMENTED).
    /// </summary>
    public static bool LacksJanuary2018Update(WindowsGuestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.SpeculationControl.Status == KernelQueryStatus.NotSupported
            || report.KvaShadow.Status == KernelQueryStatus.NotSupported;
    }

    /// <summary>
    /// Whether the CPU needs KVA shadow. No when class 201 reports RDCL_NO (both <c>0x800</c> and <c>0x1000</c>),
    /// whatever class 196 says; else the kernel's answer when class 196 has <c>0x20</c>; else by vendor: AMD and Hygon
    /// no, Intel yes except the Atom models SpeculationControl lists as not affected. Another or unknown vendor counts
    /// as needing it, so an unknown CPU never turns into a compliant verdict.
    /// </summary>
    public static (bool Needed, string Basis) NeedsKvaShadow(WindowsGuestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.SpeculationControl.Has2(RdclHardwareProtectedReported | RdclHardwareProtected))
        {
            return (false, "the CPU reports RDCL_NO (not vulnerable to rogue data cache load)");
        }

        if (report.KvaShadow.Has(KvaShadowRequiredAvailable))
        {
            return report.KvaShadow.Has(KvaShadowRequired)
                ? (true, "the kernel reports that KVA shadow is required on this CPU")
                : (false, "the kernel reports that KVA shadow is not required on this CPU");
        }

        var manufacturer = report.Cpu?.Manufacturer?.Trim();
        if (IsVendor(report, CpuInfo.Amd))
        {
            return (false, "AMD processors are not vulnerable to rogue data cache load");
        }

        if (IsVendor(report, Hygon))
        {
            return (false, "Hygon processors (AMD Zen cores) are not vulnerable to rogue data cache load");
        }

        if (IsVendor(report, CpuInfo.Intel))
        {
            return IntelModel(report) is { Family: 6 } model && _intelAtomWithoutRdcl.Contains(model.Model)
                ? (false, string.Create(CultureInfo.InvariantCulture, $"Intel family 6 model 0x{model.Model:X2} (an Atom) is not vulnerable to rogue data cache load"))
                : (true, "Intel processors are vulnerable to rogue data cache load");
        }

        return (true, $"the processor vendor '{manufacturer ?? "unknown"}' is not known to be safe from rogue data cache load");
    }

    /// <summary>
    /// Whether the CPU is vulnerable to MDS: not when class 201 reports MDS_NO (<c>0x1000000</c>), nor on AMD, Hygon or
    /// Arm processors (SpeculationControl treats AMD and Arm as protected; Hygon cores are AMD's).
    /// </summary>
    public static bool MdsHardwareVulnerable(WindowsGuestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return !report.SpeculationControl.Has(MdsHardwareProtected) && !IsProtectedVendor(report);
    }

    /// <summary>
    /// Whether the CPU is vulnerable to one of the MMIO stale data issues (SBDR/SSDP, FBSDP, PSDP): a class-201 second
    /// word protection bit is clear, except on AMD, Hygon or Arm processors.
    /// </summary>
    public static bool MmioHardwareVulnerable(WindowsGuestReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        const uint all = SbdrSsdpHardwareProtected | FbsdpHardwareProtected | PsdpHardwareProtected;
        return !report.SpeculationControl.Has2(all) && !IsProtectedVendor(report);
    }

    /// <summary>
    /// Whether the OS has the L1TF mitigation, as SpeculationControl derives it: class 196 reports it present
    /// (<c>0x2000</c>), or it is in force (an invalid PTE bit with KVA shadow enabled), or L1 flush is supported.
    /// </summary>
    public static bool L1tfSupportPresent(KernelQuery kvaShadow)
    {
        ArgumentNullException.ThrowIfNull(kvaShadow);
        return kvaShadow.Has(L1tfMitigationPresent)
            || kvaShadow.Has(L1dFlushSupported)
            || (kvaShadow.IsOk && (kvaShadow.Flags & L1tfInvalidPteBitMask) != 0 && kvaShadow.Has(KvaShadowEnabled));
    }

    /// <summary>Whether BTI is enabled (class 201 <c>0x01</c>).</summary>
    public static bool BtiEnabled(WindowsGuestReport report) => report?.SpeculationControl.Has(BpbEnabled) == true;

    /// <summary>
    /// Whether BTI cannot be enabled because the hypervisor does not expose its microcode: class 201 reports no
    /// hardware support (<c>0x04</c>), or enumerates neither IA32_SPEC_CTRL (<c>0x08</c>) nor IA32_PRED_CMD (<c>0x10</c>).
    /// </summary>
    public static bool BtiMicrocodeNotExposed(KernelQuery speculationControl)
    {
        ArgumentNullException.ThrowIfNull(speculationControl);
        return speculationControl.IsOk
            && ((speculationControl.Flags & BpbDisabledNoHardwareSupport) != 0
                || (speculationControl.Flags & (SpecCtrlEnumerated | PredCmdEnumerated)) == 0);
    }

    /// <summary>
    /// Whether the registry already asks for KVA shadow (FeatureSettingsOverride bit 0x2 clear with the mask's bit 0x2
    /// set): then the running kernel only waits for a reboot.
    /// </summary>
    public static bool RegistryRequestsKvaShadow(WindowsRegistry registry) => RegistryRequests(registry, OverrideDisableKvaShadow);

    /// <summary>Whether the registry already asks for the BTI mitigation (override bit 0x1 clear with mask bit 0x1 set).</summary>
    public static bool RegistryRequestsBti(WindowsRegistry registry) => RegistryRequests(registry, OverrideDisableBti);

    /// <summary>Whether the machine has the Hyper-V role (a nested virtualization host).</summary>
    public static bool IsHyperVHost(WindowsGuestReport report) =>
        report?.Features.Any(f => string.Equals(f?.Trim(), "Hyper-V", StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>The KB article for the machine's edition: KB4073119 for client editions, KB4072698 otherwise.</summary>
    public static string GuidanceArticle(WindowsGuestReport report) =>
        report?.Product?.IsWorkstation == true ? Guidance.ClientKb : Guidance.ServerKb;

    // Intel family 6 models SpeculationControl treats as not needing KVA shadow when the kernel does not say
    // (Atom Bonnell/Saltwell cores: 0x1C, 0x26, 0x27, 0x35, 0x36).
    private static readonly HashSet<int> _intelAtomWithoutRdcl = [0x1C, 0x26, 0x27, 0x35, 0x36];

    private static bool RegistryRequests(WindowsRegistry registry, uint bit)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry is { FeatureSettingsOverride: { } value, FeatureSettingsOverrideMask: { } mask }
            && (value & bit) == 0
            && (mask & bit) != 0;
    }

    private static bool IsProtectedVendor(WindowsGuestReport report) =>
        IsVendor(report, CpuInfo.Amd) || IsVendor(report, Hygon) || report.Cpu?.IsArm == true;

    private static bool IsVendor(WindowsGuestReport report, string vendor) =>
        string.Equals(report.Cpu?.Manufacturer?.Trim(), vendor, StringComparison.OrdinalIgnoreCase);

    private static (int Family, int Model)? IntelModel(WindowsGuestReport report) =>
        report.Cpu?.Description is { } description && FamilyModelPattern().Match(description) is { Success: true } match
            && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var family)
            && int.TryParse(match.Groups[2].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var model)
            ? (family, model)
            : null;

    // SpeculationControl reads the Intel model from Win32_Processor.Description ("Intel64 Family 6 Model 85 Stepping 4").
    [GeneratedRegex(@"Family (\d{1,4}) Model (\d{1,4}) Stepping \d{1,4}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex FamilyModelPattern();
}
