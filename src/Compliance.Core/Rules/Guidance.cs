namespace Compliance.Core.Rules;

/// <summary>The guidance the rules cite, in one place.</summary>
public static class Guidance
{
    /// <summary>Windows Server guidance to protect against speculative execution side-channel vulnerabilities.</summary>
    public const string ServerKb = "KB4072698 (https://support.microsoft.com/help/4072698)";

    /// <summary>Windows client guidance.</summary>
    public const string ClientKb = "KB4073119 (https://support.microsoft.com/help/4073119)";

    /// <summary>The Azure guidance for speculative execution side-channel vulnerabilities.</summary>
    public const string Azure = "Azure guidance on speculative execution side-channel vulnerabilities (https://learn.microsoft.com/azure/virtual-machines/mitigate-se)";

    /// <summary>The first Guest OS releases with the January 2018 mitigations, per family.</summary>
    public const string January2018GuestOsReleases =
        "WA-GUEST-OS-5.15_201801-01 (family 5), WA-GUEST-OS-4.50_201801-01 (family 4), WA-GUEST-OS-3.57_201801-01 (family 3), WA-GUEST-OS-2.70_201801-01 (family 2)";

    /// <summary>The registry path of FeatureSettingsOverride and its mask.</summary>
    public const string MemoryManagementKey = @"HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Memory Management";

    /// <summary>KB4072698's values that enable the mitigations for CVE-2017-5715 (BTI) and CVE-2017-5754 (KVA shadow).</summary>
    public const string EnableBtiAndKvaShadow = "FeatureSettingsOverride=0 and FeatureSettingsOverrideMask=3";

    /// <summary>KB4072698's values that enable the full CVE-2017-5715 mitigation on AMD processors.</summary>
    public const string EnableBtiFullAmd = "FeatureSettingsOverride=64 and FeatureSettingsOverrideMask=3";

    /// <summary>
    /// KB4072698's values that enable the MDS and TAA mitigations with Spectre, Meltdown, SSBD and L1TF, leaving
    /// Hyper-Threading on.
    /// </summary>
    public const string EnableMdsWithHyperThreading = "FeatureSettingsOverride=72 and FeatureSettingsOverrideMask=3";

    /// <summary>The same with Hyper-Threading turned off.</summary>
    public const string EnableMdsWithoutHyperThreading = "FeatureSettingsOverride=8264 and FeatureSettingsOverrideMask=3";

    /// <summary>The Hyper-V host value that passes the CPU-based mitigations to its VMs.</summary>
    public const string HyperVMinVmVersion =
        @"MinVmVersionForCpuBasedMitigations=""1.0"" (REG_SZ) under HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Virtualization";

    /// <summary>The antivirus compatibility value that gated the January to March 2018 updates.</summary>
    public const string QualityCompatValue = @"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\QualityCompat\cadca5fe-87d3-4b96-b7fb-a231484277cc";

    /// <summary>The Windows Server version a Guest OS family is based on.</summary>
    public static string GuestOsFamilyName(int family) => family switch
    {
        1 => "Windows Server 2008 SP2",
        2 => "Windows Server 2008 R2 SP1",
        3 => "Windows Server 2012",
        4 => "Windows Server 2012 R2",
        5 => "Windows Server 2016",
        6 => "Windows Server 2019",
        7 => "Windows Server 2022",
        _ => $"Guest OS family {family}",
    };
}
