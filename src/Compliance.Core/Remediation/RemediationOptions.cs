using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Remediation;

/// <summary>
/// Remediation (section <c>Compliance:Remediation</c>): off unless <see cref="Enabled"/>, and the plans' defaults, each
/// a setting validated at start. The figures of the expected duration and the waits between tries are fixed here (not
/// settings): Azure's documented rates and the Functions host's queue batch size.
/// </summary>
public sealed class RemediationOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Remediation";

    /// <summary>The environment variable of <see cref="Enabled"/>, as the app settings and the CLI spell it.</summary>
    public const string EnabledVariable = "Compliance__Remediation__Enabled";

    /// <summary>The queue the approved steps wait in, by default.</summary>
    public const string DefaultQueueName = "remediations";

    /// <summary>The service key of the step queue's client.</summary>
    public const string ServiceKey = "remediations";

    /// <summary>The longest <c>maximumDuration</c> Azure's <c>installPatches</c> accepts.</summary>
    public static readonly TimeSpan MaxPatchDuration = TimeSpan.FromHours(4);

    /// <summary>The shortest <c>maximumDuration</c> this app asks for.</summary>
    public static readonly TimeSpan MinPatchDuration = TimeSpan.FromMinutes(15);

    /// <summary>What a caller is told when remediation is off.</summary>
    public const string OffMessage =
        "Remediation is off. To turn it on, deploy with the Bicep parameter enableRemediation=true (which sets the app setting "
        + EnabledVariable + "=true and grants the role the installPatches, restart and Run Command permissions), or set "
        + EnabledVariable + "=true for compliance serve and the CLI.";

    /// <summary>Whether remediation may be planned and run at all.</summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool Enabled { get; set; }

    /// <summary>Whether a plan must be approved by someone other than its author.</summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool RequireDifferentApprover { get; set; }

    /// <summary>A plan's <c>maximumDuration</c> when it names none (15 minutes to 4 hours).</summary>
    /// <value>Default: 2 hours.</value>
    public TimeSpan DefaultMaximumDuration { get; set; } = TimeSpan.FromHours(2);

    /// <summary>A plan's reboot setting when it names none.</summary>
    /// <value>Default: <see cref="RebootSetting.IfRequired"/>.</value>
    public RebootSetting DefaultRebootSetting { get; set; } = RebootSetting.IfRequired;

    /// <summary>How long after a restart the verifying re-check waits, so the machine is back (and its agent ready).</summary>
    /// <value>Default: 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan VerifyDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many times a verifying re-check that finds the machine still starting waits <see cref="VerifyDelay"/> again.</summary>
    /// <value>Default: 3.</value>
    [Range(0, 10)]
    public int VerifyRetries { get; internal set; } = 3;

    /// <summary>When another step holds the machine, how long its message waits before it tries again.</summary>
    /// <value>Default: 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan BusyRetryDelay { get; internal set; } = TimeSpan.FromMinutes(2);

    /// <summary>How many steps run at the same time (the queue consumers' parallelism), for the expected duration.</summary>
    /// <value>Default: 16 (the Functions host's queue batch size).</value>
    [Range(1, 1024)]
    public int Parallelism { get; internal set; } = 16;

    /// <summary>
    /// Compute's "Update VM" writes per minute per subscription and region (installPatches, restart and Run Command
    /// count against it), for the expected duration.
    /// </summary>
    /// <value>Default: 500 (Azure's documented limit).</value>
    [Range(1, 100000)]
    public int UpdateVmPerMinute { get; internal set; } = 500;

    /// <summary>How long one Run Command (a check or a script) takes at most, for the expected duration.</summary>
    /// <value>Default: 90 seconds.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RunCommandDuration { get; internal set; } = TimeSpan.FromSeconds(90);

    /// <summary>How long one restart takes at most, for the expected duration.</summary>
    /// <value>Default: 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RestartDuration { get; internal set; } = TimeSpan.FromMinutes(5);

    /// <summary>The queue the approved steps wait in (lower-case letters, digits and single hyphens, 3 to 56 characters).</summary>
    /// <value>Default: <c>remediations</c>.</value>
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>The figures of the expected duration.</summary>
    public RemediationRates Rates => new(Parallelism, UpdateVmPerMinute / 60.0, RunCommandDuration, RestartDuration, VerifyDelay);

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DefaultMaximumDuration < MinPatchDuration || DefaultMaximumDuration > MaxPatchDuration)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DefaultMaximumDuration)} must lie between 00:15:00 and 04:00:00 (installPatches allows at most 4 hours).",
                [nameof(DefaultMaximumDuration)]);
        }

        if (!Enum.IsDefined(DefaultRebootSetting))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(DefaultRebootSetting)} must be IfRequired or Never.", [nameof(DefaultRebootSetting)]);
        }
    }
}
