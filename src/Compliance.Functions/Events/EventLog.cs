
namespace Compliance.Functions.Events;

internal static partial class EventLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Handling event {EventId} failed; the delivery will be retried")]
    public static partial void EventFailed(ILogger logger, string eventId, Exception exception);
}
