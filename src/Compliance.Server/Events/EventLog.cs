namespace Compliance.Server.Events;

internal static partial class EventLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Error, Message = "Handling the queue message {MessageId} failed (delivery {DequeueCount}); it will be delivered again")]
    public static partial void MessageFailed(ILogger logger, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "The queue message {MessageId} is malformed; it goes to the poison queue: {Reason}")]
    public static partial void NotEvents(ILogger logger, string messageId, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Error, Message = "The queue message {MessageId} failed {DequeueCount} times; it goes to the poison queue")]
    public static partial void GaveUp(ILogger logger, string messageId, long dequeueCount);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Event {EventId}: {Outcome} ({Reason})")]
    public static partial void Handled(ILogger logger, string eventId, string outcome, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "A remediation step of plan {PlanId} was not run: remediation is off (Compliance__Remediation__Enabled)")]
    public static partial void RemediationOff(ILogger logger, string planId);
}
