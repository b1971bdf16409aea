using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

internal static partial class ScanLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Scan {ScanId} started for {SubscriptionCount} subscription(s)")]
    public static partial void ScanStarted(ILogger logger, string scanId, int subscriptionCount);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Scan {ScanId} completed: {ResourceCount} resource(s), {ErrorCount} error(s) in {ElapsedMs} ms")]
    public static partial void ScanCompleted(ILogger logger, string scanId, int resourceCount, int errorCount, long elapsedMs);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Listing the resources of subscription {SubscriptionId} failed")]
    public static partial void InventoryFailed(ILogger logger, string subscriptionId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Listing subscriptions failed")]
    public static partial void SubscriptionListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "The guest check of {ResourceId} failed")]
    public static partial void GuestCheckFailed(ILogger logger, string resourceId, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Scan {ScanId} stored: {Recorded} verdict(s) recorded, {Stale} stale, {Lost} lost, {Notifications} notification(s) queued, {Pending} delivery(ies) pending")]
    public static partial void ScanStored(ILogger logger, string scanId, int recorded, int stale, int lost, int notifications, int pending);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "{ResourceId} judged {Status}")]
    public static partial void ResourceJudged(ILogger logger, string resourceId, string status);
}
