namespace Compliance.Core.Storage;

/// <summary>Where a scan stands.</summary>
public enum ScanStatus
{
    /// <summary>Its batches are still being checked.</summary>
    Running,

    /// <summary>Every batch completed.</summary>
    Completed,

    /// <summary>
    /// It ended, but some batches never completed (given up after their retries, or lost); their resources keep the
    /// verdicts they had before, and the scan's errors say which.
    /// </summary>
    Incomplete,
}
