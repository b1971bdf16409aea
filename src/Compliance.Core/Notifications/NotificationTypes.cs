namespace Compliance.Core.Notifications;

/// <summary>The CloudEvent types Compliance publishes (the fixed notification contract).</summary>
public static class NotificationTypes
{
    /// <summary>A resource entered a state that needs a guest update (or still does: a reminder).</summary>
    public const string GuestUpdateRequired = "Compliance.GuestUpdateRequired";

    /// <summary>A resource entered a state that needs Kernel VA Shadowing (or still does: a reminder).</summary>
    public const string KvaShadowingRequired = "Compliance.KvaShadowingRequired";

    /// <summary>
    /// A resource entered a state that needs a mitigation the OS has turned on by configuration (registry, boot
    /// parameter or sysctl), or still does: a reminder.
    /// </summary>
    public const string MitigationSettingsRequired = "Compliance.MitigationSettingsRequired";

    /// <summary>The type that announces a resource needs <paramref name="action"/> (a <see cref="Rules.RemediationAction"/> name).</summary>
    public static string RequiredFor(string action) => action switch
    {
        nameof(Rules.RemediationAction.KvaShadowing) => KvaShadowingRequired,
        nameof(Rules.RemediationAction.MitigationSettings) => MitigationSettingsRequired,
        _ => GuestUpdateRequired,
    };

    /// <summary>A resource no longer needs an action it was notified about.</summary>
    public const string ActionResolved = "Compliance.ActionResolved";

    /// <summary>A scan completed: the digest of its counts.</summary>
    public const string ScanCompleted = "Compliance.ScanCompleted";

    /// <summary>An exemption expires soon (<c>Compliance:Exemptions:ExpiringNotice</c> ahead): subject <c>/exemptions/{id}</c>.</summary>
    public const string ExemptionExpiring = "Compliance.ExemptionExpiring";
    /// <summary>A remediation plan completed: its counts, who approved it and its failures (subject <c>/remediations/{id}</c>).</summary>
    public const string RemediationCompleted = "Compliance.RemediationCompleted";
}
