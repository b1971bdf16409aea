using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Compliance.Core.Queues;

/// <summary>
/// The queue Event Grid delivers the subscription's resource changes to (section <c>Compliance:Events</c>): the
/// system topic's event subscription writes each event there, the <c>ResourceChanged</c> function (or, on its own, the
/// app's consumer) reads it.
/// </summary>
public sealed class ResourceChangeQueueOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Events";

    /// <summary>The queue the Bicep event subscription delivers to.</summary>
    public const string DefaultQueueName = "resource-changes";

    /// <summary>The service key of the queue's <see cref="IScanBatchQueue"/> client.</summary>
    public const string ServiceKey = "resource-changes";

    /// <summary>The queue's name (lower-case letters, digits and single hyphens, 3 to 56 characters).</summary>
    /// <value>Default: <c>resource-changes</c>.</value>
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    public string QueueName { get; set; } = DefaultQueueName;

    /// <summary>The queue of pending re-checks, by default.</summary>
    public const string DefaultRecheckQueueName = "resource-rechecks";

    /// <summary>The service key of the re-check queue's <see cref="IScanBatchQueue"/> client.</summary>
    public const string RecheckServiceKey = "resource-rechecks";

    /// <summary>
    /// The queue an accepted event's re-check waits in (<c>RecheckResource</c> reads it), in the same account; a
    /// message becomes visible <see cref="RecheckDelay"/> after the first event of a burst.
    /// </summary>
    /// <value>Default: <c>resource-rechecks</c>.</value>
    [RegularExpression("^(?=.{3,56}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    public string RecheckQueueName { get; set; } = DefaultRecheckQueueName;

    /// <summary>
    /// How long a re-check waits after the event that scheduled it. Every event of a resource within that window finds the
    /// re-check pending and adds nothing, so a burst of events (or a forged flood of them) costs one Run Command.
    /// </summary>
    /// <value>Default: 2 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RecheckDelay { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// When an event's re-check finds the VM agent not ready or the machine still starting (as right after a start,
    /// restart or reimage), how long to wait before each further try, comma-separated; the verdict is stored only when a
    /// try gets past that or the schedule is spent, so the earlier verdict stays meanwhile instead of an
    /// <c>AGENT_UNAVAILABLE</c> that would stand until the next scan. Empty: store the first outcome.
    /// </summary>
    /// <value>Default: <c>00:02:00,00:05:00,00:15:00</c>.</value>
    [RegularExpression(@"^\s*$|^\s*\d{1,2}:\d{2}:\d{2}\s*(,\s*\d{1,2}:\d{2}:\d{2}\s*){0,9}$", ErrorMessage = "Compliance:Events:SettleRetries is a comma-separated list of at most 10 delays such as 00:02:00.")]
    public string SettleRetries { get; set; } = "00:02:00,00:05:00,00:15:00";

    /// <summary>The delays of <see cref="SettleRetries"/>, in order.</summary>
    /// <exception cref="FormatException">A delay is not a time span of at most an hour.</exception>
    public IReadOnlyList<TimeSpan> SettleDelays() =>
        [.. (SettleRetries ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseDelay)];

    /// <summary>Whether <see cref="SettleRetries"/> reads; <paramref name="delays"/> are its delays when it does.</summary>
    public bool TrySettleDelays(out IReadOnlyList<TimeSpan> delays)
    {
        try
        {
            delays = SettleDelays();
            return true;
        }
        catch (FormatException)
        {
            delays = [];
            return false;
        }
    }

    private static TimeSpan ParseDelay(string text) =>
        TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var delay) && delay > TimeSpan.Zero && delay <= TimeSpan.FromHours(1)
            ? delay
            : throw new FormatException($"'{text}' in Compliance:Events:SettleRetries is not a delay between 00:00:01 and 01:00:00.");
}
