using System.ComponentModel.DataAnnotations;
using Compliance.Core.Scanning;

namespace Compliance.Core.Exemptions;

/// <summary>Settings of exemptions (section <c>Compliance:Exemptions</c>).</summary>
public sealed class ExemptionOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Exemptions";

    /// <summary>The default <see cref="SweepSchedule"/>: every 5 minutes.</summary>
    public const string DefaultSweepSchedule = "0 */5 * * * *";

    /// <summary>How long before an exemption expires <c>Compliance.ExemptionExpiring</c> is published.</summary>
    /// <value>Default: 7 days.</value>
    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan ExpiringNotice { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// When exemptions are swept (expiries recorded and re-applied, expiring notices queued): NCRONTAB with seconds, UTC.
    /// The Functions app's timer reads it as <c>%Compliance__Exemptions__SweepSchedule%</c>; <c>compliance serve</c>'s
    /// hosted service reads it the same way.
    /// </summary>
    /// <value>Default: every 5 minutes.</value>
    public string SweepSchedule { get; set; } = DefaultSweepSchedule;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ScanSchedule.TryParse(SweepSchedule, out _, out var error))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(SweepSchedule)}: {error}", [nameof(SweepSchedule)]);
        }
    }
}
