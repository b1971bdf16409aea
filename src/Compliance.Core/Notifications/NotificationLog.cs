using Microsoft.Extensions.Logging;

namespace Compliance.Core.Notifications;

internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Warning, Message = "Sink {Sink} did not accept {Count} notification(s); they stay in the outbox")]
    public static partial void SinkFailed(ILogger logger, string sink, int count, Exception exception);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Sink {Sink} accepted {Count} notification(s)")]
    public static partial void SinkDelivered(ILogger logger, string sink, int count);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Notification {MessageId} was queued for sink {Sink}, which is no longer configured; it is dropped for that sink")]
    public static partial void SinkGone(ILogger logger, string messageId, string sink);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The outbox of {ResourceId} could not be updated after {Attempts} attempts; its delivered notifications may be sent again")]
    public static partial void OutboxUpdateFailed(ILogger logger, string resourceId, int attempts);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "The turn to deliver could not be renewed; trying again in {Interval}")]
    public static partial void TurnRenewalFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "The turn to deliver ran out and was taken over after {Delivered} notification(s); the new holder delivers the rest")]
    public static partial void TurnLost(ILogger logger, int delivered);
}
