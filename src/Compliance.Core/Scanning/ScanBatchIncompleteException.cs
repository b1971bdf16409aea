namespace Compliance.Core.Scanning;

/// <summary>
/// A batch ran out of its time budget (<see cref="ScanOptions.BatchTimeBudget"/>) before every machine was judged. The
/// verdicts it had are stored; failing the invocation makes the queue deliver the batch again, and that delivery checks
/// only what is left.
/// </summary>
public sealed class ScanBatchIncompleteException : Exception
{
    /// <summary>Creates the exception for batch <paramref name="batchIndex"/> of <paramref name="scanId"/>.</summary>
    public ScanBatchIncompleteException(string scanId, int batchIndex, int judged, int pending)
        : base($"Batch {batchIndex} of scan {scanId} ran out of time with {judged} of {pending} machines judged; the rest waits for the next delivery.")
    {
        ScanId = scanId;
        BatchIndex = batchIndex;
        Judged = judged;
        Pending = pending;
    }

    /// <summary>Creates the exception.</summary>
    public ScanBatchIncompleteException()
        : this("A scan batch ran out of time before every machine was judged.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ScanBatchIncompleteException(string message)
        : base(message)
    {
        ScanId = string.Empty;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public ScanBatchIncompleteException(string message, Exception innerException)
        : base(message, innerException)
    {
        ScanId = string.Empty;
    }

    /// <summary>The scan.</summary>
    public string ScanId { get; }

    /// <summary>The batch's index.</summary>
    public int BatchIndex { get; }

    /// <summary>Machines judged and stored by this delivery.</summary>
    public int Judged { get; }

    /// <summary>Machines this delivery had to check.</summary>
    public int Pending { get; }
}
