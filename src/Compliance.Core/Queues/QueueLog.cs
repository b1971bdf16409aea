using Microsoft.Extensions.Logging;

namespace Compliance.Core.Queues;

internal static partial class QueueLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Batch {BatchIndex} of scan {ScanId} failed (delivery {Delivery}); delivered again: {Again}")]
    public static partial void BatchFailed(ILogger logger, string scanId, int batchIndex, long delivery, bool again, Exception exception);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error, Message = "Queue message {MessageId} moved to the poison queue after {Deliveries} delivery(ies)")]
    public static partial void Poisoned(ILogger logger, string messageId, long deliveries);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "Queue message {MessageId} is not a scan batch: {Reason}")]
    public static partial void NotABatch(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Queue message {MessageId} is no longer ours: another delivery holds it")]
    public static partial void MessageGone(ILogger logger, string messageId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "The queue failed while handling message {MessageId}; it comes back by itself")]
    public static partial void QueueFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "Ending the scans left running failed; the next look at an empty queue tries again")]
    public static partial void RecoveryFailed(ILogger logger, Exception exception);
}
