using System.Globalization;
using System.Threading.RateLimiting;
using Compliance.Functions.Events;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Hosting;

/// <summary>
/// The per-caller limit of <see cref="ApiOptions.RequestsPerMinute"/> on every <c>/api</c> route: a token bucket per
/// caller (<see cref="ApiCaller"/>) that holds a minute's worth of requests and gains one every
/// <c>1/RequestsPerMinute</c> of a minute. A request over the limit is a 429 problem with <c>Retry-After</c>. The
/// readiness check (<c>GET /</c>) and the invocation paths the Functions host posts to are not <c>/api</c> routes and
/// are not limited: the host paces them itself, and refusing one would fail a timer, queue or Event Grid invocation.
/// </summary>
/// <remarks>
/// The Event Grid webhook (<see cref="EventGridWebhook.Path"/>) is not limited either. It is there for Event Grid alone,
/// with one event per request by default, so a burst of resource changes arrives as hundreds of requests a second; a
/// 429 would not shed that work, only put it off on Event Grid's retry schedule (up to a day) and leave the verdicts
/// stale meanwhile. The webhook needs the API key beyond loopback, each delivery is bounded in size, and each event's
/// guest check waits for the ARM rate governor like every other.
/// </remarks>
internal static class ApiRateLimit
{
    private const string ApiPath = "/api";

    /// <summary>Adds the limiter; <paramref name="keyChecked"/> as for <see cref="ApiCaller.Of"/>.</summary>
    public static void Add(IServiceCollection services, HostingMode mode, bool keyChecked)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiOptions>>((options, api) => Configure(options, api.Value.RequestsPerMinute, mode, keyChecked));
    }

    /// <summary>Whether a request to <paramref name="path"/> counts against its caller's limit.</summary>
    public static bool IsLimited(PathString path, HostingMode mode) =>
        path.StartsWithSegments(ApiPath, StringComparison.OrdinalIgnoreCase)
        && !(mode == HostingMode.Standalone && path.StartsWithSegments(EventGridWebhook.Path, StringComparison.OrdinalIgnoreCase));

    private static void Configure(RateLimiterOptions options, int requestsPerMinute, HostingMode mode, bool keyChecked)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = requestsPerMinute,
            TokensPerPeriod = 1,
            // One token per period, so the Retry-After of a refusal is the wait for the next token, not for a minute.
            ReplenishmentPeriod = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / requestsPerMinute),
            // The partitioned limiter tops every bucket up on its own timer, in proportion to the time passed; a timer
            // per caller would be one per client address.
            AutoReplenishment = false,
            QueueLimit = 0,
        };

        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsLimited(context.Request.Path, mode)
            ? RateLimitPartition.GetTokenBucketLimiter(ApiCaller.Of(context, mode, keyChecked), _ => bucket)
            : RateLimitPartition.GetNoLimiter(string.Empty));
        options.OnRejected = (rejected, _) =>
        {
            var context = rejected.HttpContext;
            var retryAfter = RetryAfterSeconds(rejected.Lease, bucket.ReplenishmentPeriod);
            RateLimitLog.Refused(
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiRateLimit)),
                context.Request.Method,
                context.Request.Path,
                ApiCaller.Describe(ApiCaller.Of(context, mode, keyChecked)),
                requestsPerMinute,
                retryAfter);
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return new ValueTask(Problems.Write(
                context,
                StatusCodes.Status429TooManyRequests,
                "Too many requests",
                $"This caller has used its {requestsPerMinute} requests a minute to /api. Retry after {retryAfter} s (the Retry-After header)."));
        };
    }

    // Whole seconds, rounded up and at least one: a client that waits that long finds a token.
    private static int RetryAfterSeconds(RateLimitLease lease, TimeSpan fallback)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : fallback;
        return (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
    }
}
