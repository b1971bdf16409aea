namespace Compliance.Server.Hosting;

// The caller is logged as its address or a prefix of its key's hash, never as the key.
internal static partial class RateLimitLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Information, Message = "Refused {Method} {Path} from {Caller}: over {RequestsPerMinute} requests a minute; retry after {RetryAfterSeconds} s")]
    public static partial void Refused(ILogger logger, string method, string path, string caller, int requestsPerMinute, int retryAfterSeconds);
}
