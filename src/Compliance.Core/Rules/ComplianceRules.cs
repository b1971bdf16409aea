namespace Compliance.Core.Rules;

/// <summary>The rules of the verdict table, in the table's order.</summary>
public static class ComplianceRules
{
    /// <summary>Creates one instance of every rule.</summary>
    public static IReadOnlyList<IComplianceRule> CreateAll() =>
    [
        new GuestUpdateMissingRule(),
        new MitigationDisabledRule(),
        new VulnerableModuleLoadedRule(),
        new CloudServiceGuestOsOutdatedRule(),
        new KvaShadowingRequiredRule(),
        new BtiDisabledRule(),
        new L1tfUpdateMissingRule(),
        new MdsUpdateMissingRule(),
        new MdsMitigationDisabledRule(),
        new HyperVMinVmVersionMissingRule(),
        new MmioStaleDataUnmitigatedRule(),
        new KvaShadowingUnverifiedRule(),
        new AntivirusCompatKeyMissingRule(),
        new LaterVariantVulnerableRule(),
        new LaterVariantUnverifiedRule(),
        new BtiMicrocodeNotExposedRule(),
        new UntrustedCodeHostRule(),
        new HostMaintenancePendingRule(),
        new MitigationStateUnknownRule(),
        new GuestCheckUnavailableRule(),
        new CloudServiceConfigurationUnreadableRule(),
    ];
}
