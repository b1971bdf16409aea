using Compliance.Core.Guest;

namespace Compliance.Core.Rules;

/// <summary>
/// The meaning of the Windows kernel flags (Microsoft's SpeculationControl module, 1.0.18) and the judgements the
/// rules share.
/// </summary>
public static class WindowsMitigations
{
    /// <summary>Class 201, word 0: IA32_SPEC_CTRL enumerated (BTI microcode present).</summary>
    public const uint SpecCtrlEnumerated = 0x08;

    /// <summary>Class 201, word 0: IA32_PRED_CMD enumerated (BTI microcode present).</summary>
    public const uint PredCmdEnumerated = 0x10;

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

    /// <summary>FeatureSettingsOverride bit that disables KVA shadow (KB4072698: 0 enables, 2 or 3 disables).</summary>
    public const uint OverrideDisableKvaShadow = 0x2;

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
    /// whatever class 196 says; else the kernel's answer when class 196 has <c>0x20</c>; else by vendor: Intel yes,
    /// AMD no. Another or unknown vendor counts as needing it, so an unknown CPU never turns into a compliant verdict.
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
        if (string.Equals(manufacturer, CpuInfo.Amd, StringComparison.OrdinalIgnoreCase))
        {
            return (false, "AMD processors are not vulnerable to rogue data cache load");
        }

        return string.Equals(manufacturer, CpuInfo.Intel, StringComparison.OrdinalIgnoreCase)
            ? (true, "Intel processors are vulnerable to rogue data cache load")
            : (true, $"the processor vendor '{manufacturer ?? "unknown"}' is not known to be safe from rogue data cache load");
    }

    /// <summary>
    /// Whether the registry already asks for KVA shadow (FeatureSettingsOverride bit 0x2 clear with the mask's bit 0x2
    /// set): then the running kernel only waits for a reboot.
    /// </summary>
    public static bool RegistryRequestsKvaShadow(WindowsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry is { FeatureSettingsOverride: { } value, FeatureSettingsOverrideMask: { } mask }
            && (value & OverrideDisableKvaShadow) == 0
            && (mask & OverrideDisableKvaShadow) != 0;
    }

    /// <summary>The KB article for the machine's edition: KB4073119 for client editions, KB4072698 otherwise.</summary>
    public static string GuidanceArticle(WindowsGuestReport report) =>
        report?.Product?.IsWorkstation == true ? Guidance.ClientKb : Guidance.ServerKb;
}
