using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Notifications;

/// <summary>Settings of the notification policy (section <c>Compliance:Notifications</c>).</summary>
public sealed class NotificationOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Notifications";

    /// <summary>How often a resource that still needs an action is notified again.</summary>
    /// <value>Default: 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan ReminderInterval { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The CloudEvent <c>source</c> of every notification.</summary>
    /// <value>Default: <c>/compliance</c>.</value>
    [Required]
    [MinLength(1)]
    public string Source { get; set; } = "/compliance";
}
