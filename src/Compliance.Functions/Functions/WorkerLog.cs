using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Functions;

internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Scan {ScanId} planned: {Resources} resources in {Batches} batches (timer past due: {PastDue})")]
    public static partial void ScanPlanned(ILogger logger, string scanId, int resources, int batches, bool pastDue);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Scan {ScanId}: batch {Number} of {Count}: {Recorded} recorded, {Stale} stale; scan finished: {Finished}")]
    public static partial void BatchDone(ILogger logger, string scanId, int number, int count, int recorded, int stale, bool finished);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Error, Message = "Message {MessageId} (delivery {DequeueCount}) is not a scan batch: {Reason}")]
    public static partial void NotABatch(ILogger logger, string messageId, long dequeueCount, string reason);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Error, Message = "Message {MessageId} (delivery {DequeueCount}) is not resource events: {Reason}")]
    public static partial void NotEvents(ILogger logger, string messageId, long dequeueCount, string reason);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "The scheduled scan is skipped: scan {ScanId} is still running (timer past due: {PastDue})")]
    public static partial void ScanSkipped(ILogger logger, string scanId, bool pastDue);

    [LoggerMessage(EventId = 8005, Level = LogLevel.Error, Message = "Message {MessageId} (delivery {DequeueCount}) is not a re-check: {Reason}")]
    public static partial void NotARecheck(ILogger logger, string messageId, long dequeueCount, string reason);

    [LoggerMessage(EventId = 8006, Level = LogLevel.Error, Message = "Message {MessageId} (delivery {DequeueCount}) is not a remediation step: {Reason}")]
    public static partial void NotARemediationStep(ILogger logger, string messageId, long dequeueCount, string reason);
}
