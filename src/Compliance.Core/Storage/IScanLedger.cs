using Compliance.Core.Reporting;

namespace Compliance.Core.Storage;

/// <summary>The port to the record of scans: each scan, the batches of a fanned-out one, and the summary counters.</summary>
public interface IScanLedger
{
    /// <summary>Creates or replaces a scan record.</summary>
    Task SaveScanAsync(ScanRecord scan, CancellationToken cancellationToken);

    /// <summary>Lists scans, newest first.</summary>
    IAsyncEnumerable<ScanRecord> GetScansAsync(CancellationToken cancellationToken);

    /// <summary>Reads one scan.</summary>
    Task<ScanRecord?> GetScanAsync(string scanId, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces an unfinished scan record with its finished form, only if no one finished it first (several batch
    /// workers may try); <c>true</c> for the one that did.
    /// </summary>
    Task<bool> TryFinishScanAsync(ScanRecord finished, CancellationToken cancellationToken);

    /// <summary>Records that a batch of a fanned-out scan is done (or given up), with what it recorded. Idempotent per batch.</summary>
    Task SaveBatchResultAsync(string scanId, int batchIndex, BatchResult result, CancellationToken cancellationToken);

    /// <summary>The results of the batches of a scan that are done, by batch index.</summary>
    Task<IReadOnlyDictionary<int, BatchResult>> GetBatchResultsAsync(string scanId, CancellationToken cancellationToken);

    /// <summary>Removes the batch results of every scan that were done before <paramref name="doneBefore"/>; how many went.</summary>
    Task<int> PruneBatchResultsAsync(DateTimeOffset doneBefore, CancellationToken cancellationToken);

    /// <summary>Replaces the summary counters.</summary>
    Task SaveSummaryAsync(ReportSummary summary, string scanId, DateTimeOffset updatedAt, CancellationToken cancellationToken);

    /// <summary>Reads the summary counters: one read, whatever the fleet's size.</summary>
    Task<(ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)?> GetSummaryAsync(CancellationToken cancellationToken);
}
