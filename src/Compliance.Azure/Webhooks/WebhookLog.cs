using Microsoft.Extensions.Logging;

namespace Compliance.Azure.Webhooks;

// Only the host of the webhook is logged: webhook URLs often carry an access token in their path or query.
internal static partial class WebhookLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Debug, Message = "Delivered notification {EventId} to the webhook at {Host} (HTTP {Status})")]
    public static partial void Delivered(ILogger logger, string eventId, string host, int status);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "The webhook at {Host} refused notification {EventId} (HTTP {Status})")]
    public static partial void Refused(ILogger logger, string eventId, string host, int status);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "The webhook at {Host} could not be reached for notification {EventId}")]
    public static partial void Unreachable(ILogger logger, Exception exception, string eventId, string host);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "The webhook at {Host} did not answer notification {EventId} within {TimeoutMs} ms")]
    public static partial void TimedOut(ILogger logger, string eventId, string host, long timeoutMs);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "The webhook at {Host} redirected notification {EventId} to another address; that is not a delivery")]
    public static partial void Redirected(ILogger logger, string eventId, string host);
}
