using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

internal static partial class ScanLog
{
    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Listing the resources of subscription {SubscriptionId} failed")]
    public static partial void InventoryFailed(ILogger logger, string subscriptionId, Exception exception);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Listing subscriptions failed")]
    public static partial void SubscriptionListFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "The guest check of {ResourceId} failed")]
    public static partial void GuestCheckFailed(ILogger logger, string resourceId, Exception exception);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Reading the instance view of {ResourceId} failed; its agent and maintenance status stay unknown")]
    public static partial void InstanceViewFailed(ILogger logger, string resourceId, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "Scan {ScanId} planned: {ResourceCount} resource(s) in {BatchCount} batch(es), {SkippedCount} fresh compliant one(s) left out, {ErrorCount} error(s)")]
    public static partial void ScanPlanned(ILogger logger, string scanId, int resourceCount, int batchCount, int skippedCount, int errorCount);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Scan {ScanId}: batch {BatchIndex} of {BatchCount} done, {Recorded} verdict(s) recorded; scan finished: {Finished}")]
    public static partial void BatchDone(ILogger logger, string scanId, int batchIndex, int batchCount, int recorded, bool finished);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Event {EventId} ({EventType}) ignored: {Reason}")]
    public static partial void EventIgnored(ILogger logger, string eventId, string eventType, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Event {EventId} was handled before; nothing to do")]
    public static partial void EventDuplicate(ILogger logger, string eventId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Information, Message = "Event {EventId}: {Decision} {ResourceId}")]
    public static partial void EventHandled(ILogger logger, string eventId, string decision, string resourceId);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Batch {BatchIndex} of scan {ScanId} failed (attempt {Attempt}); retried: {Retried}")]
    public static partial void BatchFailed(ILogger logger, string scanId, int batchIndex, int attempt, bool retried, Exception exception);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "Scan {ScanId}: batch {BatchIndex} ran out of time after judging {Judged} of {Pending}; those are stored and the next delivery goes on from there")]
    public static partial void BatchOutOfTime(ILogger logger, string scanId, int batchIndex, int judged, int pending);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Scan {ScanId} finished ({Status}): {Recorded} verdict(s) recorded, {Unstored} not storable, {Abandoned} batch(es) given up")]
    public static partial void ScanFinished(ILogger logger, string scanId, string status, int recorded, int unstored, int abandoned);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Error, Message = "Scan {ScanId}: batch {BatchIndex} of {BatchCount} given up: {Reason}")]
    public static partial void BatchAbandoned(ILogger logger, string scanId, int batchIndex, int batchCount, string reason);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Scan {ScanId} was still recorded as running with none of its batches in flight; it is ended with what it stored")]
    public static partial void ScanRecovered(ILogger logger, string scanId);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Information, Message = "Retention: {Events} handled event(s), {Batches} batch result(s) and {Leases} lease(s) older than {Cutoff:O} removed")]
    public static partial void Pruned(ILogger logger, int events, int batches, int leases, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Scan {ScanId}: {Count} resource(s) too large for a queue message are not checked")]
    public static partial void TooLargeToQueue(ILogger logger, string scanId, int count);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Warning, Message = "A scan start was refused: scan {ScanId} is running")]
    public static partial void StartRefusedRunning(ILogger logger, string scanId);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Warning, Message = "A scan start was refused: {Count} scan(s) were started on request in the last hour, at most {Limit}; the next may start at {RetryAt:O}")]
    public static partial void StartRefusedTooMany(ILogger logger, int count, int limit, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Warning, Message = "A scan start was refused: {Count} requested subscription(s) lie outside the scope")]
    public static partial void StartOutOfScope(ILogger logger, int count);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Information, Message = "Event {EventId}: a re-check of {ResourceId} is pending already; coalesced")]
    public static partial void RecheckCoalesced(ILogger logger, string eventId, string resourceId);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Information, Message = "Event {EventId}: re-check of {ResourceId} scheduled in {Delay}")]
    public static partial void RecheckScheduled(ILogger logger, string eventId, string resourceId, TimeSpan delay);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Information, Message = "Re-check of {ResourceId}: {Outcome}")]
    public static partial void Rechecked(ILogger logger, string resourceId, string outcome);

    [LoggerMessage(EventId = 1027, Level = LogLevel.Information, Message = "Re-check of {ResourceId}: still settling (agent not ready or starting); the verdict is kept, try {Attempt} in {Delay}")]
    public static partial void RecheckSettling(ILogger logger, string resourceId, int attempt, TimeSpan delay);
}
