namespace Compliance.Benchmarks;

/// <summary>What a scan worker measured, written as one JSON line on its standard output.</summary>
internal sealed record WorkerResult
{
    public required string ScanId { get; init; }

    /// <summary>The start of planning, platform time: the parent's clock probe counts from here.</summary>
    public required DateTimeOffset ScanStartedAt { get; init; }

    /// <summary>From the start of planning to the end of the last batch, platform time.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>The same span in real time.</summary>
    public required double RealSeconds { get; init; }

    /// <summary>From the start of planning until every batch was on the queue, platform time.</summary>
    public required double PlannedSeconds { get; init; }

    public required int Planned { get; init; }

    public required int Batches { get; init; }

    /// <summary>Batch runs that failed and were queued again (as a queue message is redelivered).</summary>
    public required int BatchRetries { get; init; }

    /// <summary>Batches given up after the last attempt (their machines end without a verdict).</summary>
    public required int BatchesAbandoned { get; init; }

    public required IReadOnlyDictionary<string, long> ArmRequests { get; init; }

    public required long Throttled { get; init; }

    public required long Retried { get; init; }

    public required long TableTransactions { get; init; }

    public required long TableWriteTransactions { get; init; }

    public required long TableEntitiesWritten { get; init; }

    public required long PeakWorkingSetBytes { get; init; }

    /// <summary>The most the live objects took during the scan (see <see cref="MemorySampler"/>).</summary>
    public required long PeakLiveBytes { get; init; }

    /// <summary>How late the scanner's timers woke up during the scan.</summary>
    public required ClockLateness ScannerClock { get; init; }
}
