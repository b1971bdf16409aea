namespace Compliance.Core.Storage;

/// <summary>What the scan ledger keeps of a batch of a fanned-out scan.</summary>
/// <param name="Outcome">What storing its verdicts did, its unstored verdicts included.</param>
/// <param name="DoneAt">When this was written; the row is removed after the retention period.</param>
public sealed record BatchResult(RecordOutcome Outcome, DateTimeOffset DoneAt)
{
    /// <summary>Where the batch stands.</summary>
    public BatchState State { get; init; } = BatchState.Done;

    /// <summary>
    /// For a <see cref="BatchState.Partial"/> batch: the positions (in the batch) of resources already judged whose
    /// verdicts are not in the store under this scan (not storable, or a newer verdict was there), so that the next
    /// delivery does not check them again.
    /// </summary>
    public IReadOnlyList<int> Judged { get; init; } = [];

    /// <summary>For an <see cref="BatchState.Abandoned"/> batch: why it was given up.</summary>
    public string? Error { get; init; }

    /// <summary>Whether the batch will run no more (done or given up).</summary>
    public bool IsOver => State != BatchState.Partial;
}
