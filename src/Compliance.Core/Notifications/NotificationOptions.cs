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

    /// <summary>
    /// How long the turn to deliver (a lease in the store) lasts without renewal; a delivery renews it every third of
    /// this. A process that dies while delivering blocks the next delivery this long at most.
    /// </summary>
    /// <value>Default: 30 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")]
    public TimeSpan DispatchLease { get; set; } = TimeSpan.FromSeconds(30);
}
