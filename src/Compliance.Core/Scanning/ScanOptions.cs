using System.ComponentModel.DataAnnotations;

namespace Compliance.Core.Scanning;

/// <summary>Settings of a scan (section <c>Compliance:Scan</c>).</summary>
public sealed class ScanOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compliance:Scan";

    /// <summary>The default schedule: every 6 hours, on the hour (UTC).</summary>
    public const string DefaultSchedule = "0 0 */6 * * *";

    /// <summary>
    /// When scans run: an Azure Functions timer (NCRONTAB) expression, UTC. The timer trigger reads it as
    /// <c>%Compliance__Scan__Schedule%</c>; the app's own scheduler reads it when it runs without the Functions host.
    /// </summary>
    /// <value>Default: <c>0 0 */6 * * *</c> (every 6 hours).</value>
    [Required]
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>How many machines are checked at the same time (within one batch, or one CLI scan).</summary>
    /// <value>Default: 16.</value>
    [Range(1, 1024)]
    public int MaxConcurrency { get; set; } = 16;

    /// <summary>
    /// The subscriptions to scan, comma-separated; empty means every subscription the identity can read.
    /// </summary>
    /// <value>Default: empty.</value>
    public string? Subscriptions { get; set; }

    /// <summary>
    /// Resources per fan-out batch (one queue message). A batch is checked by one invocation, so it must finish well
    /// within the Functions timeout: at about 20 seconds per Run Command and <see cref="MaxConcurrency"/> at a time.
    /// </summary>
    /// <value>Default: 20.</value>
    [Range(1, 500)]
    public int BatchSize { get; set; } = 20;

    /// <summary>
    /// How long one batch checks before it stores the verdicts it has and leaves the rest to the next delivery of its
    /// message (which resumes there). It keeps every invocation inside <c>host.json</c>'s <c>functionTimeout</c>
    /// (30 minutes), with room left to store and notify.
    /// </summary>
    /// <value>Default: 20 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan BatchTimeBudget { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How many batches the app runs at the same time when it runs without the Functions host.</summary>
    /// <value>Default: 4.</value>
    [Range(1, 64)]
    public int MaxConcurrentBatches { get; set; } = 4;

    /// <summary>
    /// A scan leaves out machines whose stored verdict is <c>Compliant</c> and younger than this (a machine that changes
    /// is re-checked by its ARM event anyway); zero checks every machine every scan.
    /// </summary>
    /// <value>Default: zero (off).</value>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan SkipCompliantFor { get; set; }

    /// <summary>
    /// How long the bookkeeping rows are kept: the ids of handled resource events (Event Grid redelivers for a day at
    /// most), the results of a scan's batches, and leases no longer held. The scheduled scan removes older ones; scans and
    /// verdict history are kept.
    /// </summary>
    /// <value>Default: 30 days.</value>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How many scans may be started on request (<c>POST /api/scans</c>) in any hour, counted from the scan ledger so
    /// the bound holds across instances and restarts; the schedule's scans do not count. A request beyond it is refused
    /// (429) until the oldest start of the hour is an hour old.
    /// </summary>
    /// <value>Default: 6.</value>
    [Range(1, 60)]
    public int MaxStartsPerHour { get; set; } = 6;

    /// <summary>
    /// What a batch should take at these settings: a slow Run Command (<see cref="SlowRunCommand"/>) for each round of
    /// <see cref="MaxConcurrency"/> machines, plus the wait for ARM write tokens behind every batch in flight (all in one
    /// subscription, at its refill of 10 a second).
    /// </summary>
    public TimeSpan ExpectedBatchTime
    {
        get
        {
            var rounds = (BatchSize + MaxConcurrency - 1) / MaxConcurrency;
            var tokens = TimeSpan.FromSeconds((double)MaxConcurrentBatches * BatchSize / ArmWritesPerSecond);
            return (SlowRunCommand * rounds) + tokens;
        }
    }

    // A Run Command takes about 20 seconds at best; a minute covers a slow guest.
    private static readonly TimeSpan SlowRunCommand = TimeSpan.FromMinutes(1);

    // ARM's write refill per subscription (after the burst of 200).
    private const double ArmWritesPerSecond = 10;

    /// <summary>The subscription ids of <see cref="Subscriptions"/>.</summary>
    public IReadOnlyList<string> SubscriptionIds =>
        (Subscriptions ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!ScanSchedule.TryParse(Schedule, out _, out var error))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Schedule)}: {error}", [nameof(Schedule)]);
        }

        if (ExpectedBatchTime > BatchTimeBudget)
        {
            yield return new ValidationResult(
                $"{SectionName}: a batch of {BatchSize} checked {Math.Min(MaxConcurrency, BatchSize)} at a time, with {MaxConcurrentBatches} batches at once, "
                + $"needs about {ExpectedBatchTime.TotalMinutes:0.#} minutes, more than {nameof(BatchTimeBudget)} ({BatchTimeBudget.TotalMinutes:0.#} minutes): "
                + $"lower {nameof(BatchSize)} or raise {nameof(MaxConcurrency)}.",
                [nameof(BatchSize), nameof(MaxConcurrency), nameof(BatchTimeBudget)]);
        }

        foreach (var id in SubscriptionIds.Where(id => !Guid.TryParse(id, out _)))
        {
            yield return new ValidationResult($"{SectionName}:{nameof(Subscriptions)}: '{id}' is not a subscription id.", [nameof(Subscriptions)]);
        }
    }
}
