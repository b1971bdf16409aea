using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Exemptions;

/// <summary>Settings of exemptions (section <c>Compliance:Exemptions</c>).</summary>
public sealed class ExemptionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Exemptions";

    /// <summary>How long before an exemption expires <c>Compliance.ExemptionExpiring</c> is published.</summary>
    /// <value>Default: 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan ExpiringNotice { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How often <c>compliance serve</c> sweeps exemptions (records expiries, re-applies their scopes, queues expiring
    /// notices). The Functions app runs the same sweep on the NCRONTAB schedule <c>Compliance:Exemptions:SweepSchedule</c>.
    /// </summary>
    /// <value>Default: 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(5);
}
