namespace Compliance.Core.Rules;

/// <summary>The rules of the verdict table, in the table's order.</summary>
public static class ComplianceRules
{
    /// <summary>Creates one instance of every rule.</summary>
    public static IReadOnlyList<IComplianceRule> CreateAll() =>
    [
        new GuestUpdateMissingRule(),
        new CloudServiceGuestOsOutdatedRule(),
        new KvaShadowingRequiredRule(),
        new KvaShadowingUnverifiedRule(),
        new AntivirusCompatKeyMissingRule(),
        new LaterVariantVulnerableRule(),
        new BtiMicrocodeNotExposedRule(),
        new UntrustedCodeHostRule(),
        new HostMaintenancePendingRule(),
        new GuestCheckUnavailableRule(),
        new CloudServiceConfigurationUnreadableRule(),
    ];
}
