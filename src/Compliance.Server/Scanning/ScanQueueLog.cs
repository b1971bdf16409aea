
namespace Compliance.Server.Scanning;

internal static partial class ScanQueueLog
{
    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "Next scheduled scan at {Next:O}")]
    public static partial void NextScan(ILogger logger, DateTimeOffset next);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Warning, Message = "The schedule '{Schedule}' has no next occurrence; the scheduler stops")]
    public static partial void NoNextOccurrence(ILogger logger, string schedule);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "The scheduled scan failed; the next occurrence will try again")]
    public static partial void ScheduledScanFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "Ending the scans a previous run left running failed at start-up; the worker tries again when the queue is empty")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "The scheduled scan is skipped: scan {ScanId} is still running")]
    public static partial void ScheduledScanSkipped(ILogger logger, string scanId);

    [LoggerMessage(EventId = 6006, Level = LogLevel.Warning, Message = "The exemption sweep failed; the next one tries again")]
    public static partial void ExemptionSweepFailed(ILogger logger, Exception exception);
}
