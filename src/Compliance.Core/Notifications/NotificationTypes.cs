namespace Compliance.Core.Notifications;

/// <summary>The CloudEvent types Compliance publishes (the fixed notification contract).</summary>
public static class NotificationTypes
{
    /// <summary>A resource entered a state that needs a guest update (or still does: a reminder).</summary>
    public const string GuestUpdateRequired = "Compliance.GuestUpdateRequired";

    /// <summary>A resource entered a state that needs Kernel VA Shadowing (or still does: a reminder).</summary>
    public const string KvaShadowingRequired = "Compliance.KvaShadowingRequired";

    /// <summary>A resource no longer needs an action it was notified about.</summary>
    public const string ActionResolved = "Compliance.ActionResolved";

    /// <summary>A scan completed: the digest of its counts.</summary>
    public const string ScanCompleted = "Compliance.ScanCompleted";
}
