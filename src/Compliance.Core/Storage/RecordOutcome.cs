using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>What recording a batch of verdicts did.</summary>
/// <param name="Recorded">Verdicts written as the current state.</param>
/// <param name="Stale">Verdicts not written because the store already had one at least as new.</param>
/// <param name="Lost">Verdicts that could not be written after the retries (concurrent writers kept winning).</param>
/// <param name="Changes">Verdicts that changed a resource's status or actions.</param>
/// <param name="Notifications">Notifications queued in the outbox.</param>
public sealed record RecordOutcome(int Recorded, int Stale, int Lost, int Changes, int Notifications)
{
    /// <summary>Nothing recorded.</summary>
    public static RecordOutcome None { get; } = new(0, 0, 0, 0, 0);

    /// <summary>
    /// Verdicts the store cannot hold (a key or a property beyond its limits), each as a report error naming the
    /// resource, its verdict and why; they appear in the report and on the scan record, and are never written.
    /// </summary>
    public IReadOnlyList<ReportError> Unstored { get; init; } = [];

    /// <summary>Adds two outcomes.</summary>
    public RecordOutcome Add(RecordOutcome other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(Recorded + other.Recorded, Stale + other.Stale, Lost + other.Lost, Changes + other.Changes, Notifications + other.Notifications)
        {
            Unstored = [.. Unstored, .. other.Unstored],
        };
    }

    /// <inheritdoc />
    public bool Equals(RecordOutcome? other) =>
        other is not null
        && (Recorded, Stale, Lost, Changes, Notifications) == (other.Recorded, other.Stale, other.Lost, other.Changes, other.Notifications)
        && Unstored.SequenceEqual(other.Unstored);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Recorded, Stale, Lost, Changes, Notifications, Unstored.Count);
}
