using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Hosting;

/// <summary>
/// The per-caller limit of <see cref="ApiOptions.RequestsPerMinute"/> on every <c>/api</c> route, in both hosts (a
/// middleware of <c>compliance serve</c>, a worker middleware of the Functions app): a token bucket per caller
/// (<see cref="ApiCaller"/>) that holds a minute's worth of requests and gains one every <c>1/RequestsPerMinute</c> of a
/// minute. A request over the limit is a 429 problem with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimiter : IAsyncDisposable
{
    private const string ApiPath = "/api";

    private readonly PartitionedRateLimiter<HttpContext> _limiter;
    private readonly HostingMode _mode;
    private readonly bool _keyChecked;
    private readonly int _requestsPerMinute;
    private readonly TimeSpan _period;
    private readonly ILogger _logger;

    /// <summary>Creates the limiter; <paramref name="keyChecked"/> as for <see cref="ApiCaller.Of"/>.</summary>
    public ApiRateLimiter(IOptions<ApiOptions> options, HostingMode mode, bool keyChecked, ILogger<ApiRateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mode = mode;
        _keyChecked = keyChecked;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _requestsPerMinute = options.Value.RequestsPerMinute;
        _period = TimeSpan.FromTicks(TimeSpan.TicksPerMinute / _requestsPerMinute);
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = _requestsPerMinute,
            TokensPerPeriod = 1,
            // One token per period, so the Retry-After of a refusal is the wait for the next token, not for a minute.
            ReplenishmentPeriod = _period,
            // The partitioned limiter tops every bucket up on its own timer, in proportion to the time passed; a timer
            // per caller would be one per client address.
            AutoReplenishment = false,
            QueueLimit = 0,
        };
        _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context => IsLimited(context.Request.Path)
            ? RateLimitPartition.GetTokenBucketLimiter(ApiCaller.Of(context, mode, keyChecked), _ => bucket)
            : RateLimitPartition.GetNoLimiter(string.Empty));
    }

    /// <summary>Whether a request to <paramref name="path"/> counts against its caller's limit.</summary>
    public static bool IsLimited(PathString path) => path.StartsWithSegments(ApiPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Takes a token for <paramref name="context"/>'s request: <see langword="true"/> when it may go on; otherwise the
    /// 429 problem is written and the request must end there.
    /// </summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = _limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return true;
        }

        var retryAfter = RetryAfterSeconds(lease, _period);
        RateLimitLog.Refused(_logger, context.Request.Method, context.Request.Path, ApiCaller.Describe(ApiCaller.Of(context, _mode, _keyChecked)), _requestsPerMinute, retryAfter);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(
            context,
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"This caller has used its {_requestsPerMinute} requests a minute to /api. Retry after {retryAfter} s (the Retry-After header).").ConfigureAwait(false);
        return false;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _limiter.DisposeAsync();

    // Whole seconds, rounded up and at least one: a client that waits that long finds a token.
    private static int RetryAfterSeconds(RateLimitLease lease, TimeSpan fallback)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : fallback;
        return (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
    }
}
