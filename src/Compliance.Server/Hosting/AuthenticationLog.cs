namespace Compliance.Server.Hosting;

// The caller is logged as its address, never with the key or token it sent.
internal static partial class AuthenticationLog
{
    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Failed authentication: {Method} {Path} from {Address}: {Reason}")]
    public static partial void Failed(ILogger logger, string method, string path, string address, string reason);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Refused {Method} {Path} from {Address}: over {FailuresPerMinute} failed authentications a minute; retry after {RetryAfterSeconds} s")]
    public static partial void Blocked(ILogger logger, string method, string path, string address, int failuresPerMinute, int retryAfterSeconds);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Information, Message = "Forbidden: {Method} {Path} from {Address} needs the permission {Permission}")]
    public static partial void Forbidden(ILogger logger, string method, string path, string address, string permission);
}
