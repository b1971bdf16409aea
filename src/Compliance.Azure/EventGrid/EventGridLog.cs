using Microsoft.Extensions.Logging;

namespace Compliance.Azure.EventGrid;

internal static partial class EventGridLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Debug, Message = "Published {Count} events to Event Grid topic {Host} in {Requests} requests")]
    public static partial void Published(ILogger logger, int count, string host, int requests);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Event Grid topic {Host} refused request {Request} of {Requests} (HTTP {Status}, error code {ErrorCode}); {Delivered} of {Count} events were delivered before it")]
    public static partial void Refused(ILogger logger, string host, int request, int requests, int status, string errorCode, int delivered, int count);
}
