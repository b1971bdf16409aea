using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Hosting;

/// <summary>
/// The limits on every <c>/api</c> route, in both hosts (a middleware of <c>compliance serve</c>, a worker middleware
/// of the Functions app): a token bucket per client address (<see cref="ApiOptions.RequestsPerMinute"/>) and one per
/// checked key (<see cref="ApiOptions.CredentialRequestsPerMinute"/>), and a request takes a token from both. So a busy client
/// uses up its own address's bucket and leaves the dashboard on another address served, even with the same key, while
/// a key shared by many addresses is still bounded. Each bucket holds a minute's worth and gains one token every
/// minute/limit. A request over a limit is a 429 problem with <c>Retry-After</c>.
/// </summary>
public sealed class ApiRateLimiter : IAsyncDisposable
{
    private const string ApiPath = "/api";

    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly PartitionedRateLimiter<string> _keys;
    private readonly HostingMode _mode;
    private readonly ApiOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the limiter for the app running as <paramref name="mode"/> (see <see cref="ApiCaller"/>).</summary>
    public ApiRateLimiter(IOptions<ApiOptions> options, HostingMode mode, ILogger<ApiRateLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mode = mode;
        _options = options.Value;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _addresses = Buckets(_options.RequestsPerMinute);
        _keys = Buckets(_options.CredentialRequestsPerMinute);
    }

    /// <summary>Whether a request to <paramref name="path"/> counts against its caller's limits.</summary>
    public static bool IsLimited(PathString path) => path.StartsWithSegments(ApiPath, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Takes a token for <paramref name="context"/>'s request from its address's bucket and from its key's: <see
    /// langword="true"/> when it may go on; otherwise the 429 problem is written and the request must end there.
    /// </summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsLimited(context.Request.Path))
        {
            return true;
        }

        // The address first: a request its address may not make does not take a token from the key it shares with others.
        var address = ApiCaller.AddressOf(context, _mode);
        using (var lease = _addresses.AttemptAcquire(address))
        {
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, lease, address, "address", _options.RequestsPerMinute).ConfigureAwait(false);
                return false;
            }
        }

        if (ApiCaller.KeyOf(context, _mode) is { } key)
        {
            using var lease = _keys.AttemptAcquire(key);
            if (!lease.IsAcquired)
            {
                await RefuseAsync(context, lease, key, "key", _options.CredentialRequestsPerMinute).ConfigureAwait(false);
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _addresses.DisposeAsync().ConfigureAwait(false);
        await _keys.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A partitioned limiter with a token bucket of <paramref name="perMinute"/> per partition.</summary>
    internal static PartitionedRateLimiter<string> Buckets(int perMinute)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = 1,
            // One token per period, so the Retry-After of a refusal is the wait for the next token, not for a minute.
            ReplenishmentPeriod = Period(perMinute),
            // The partitioned limiter tops every bucket up on its own timer, in proportion to the time passed; a timer
            // per caller would be one per client address.
            AutoReplenishment = false,
            QueueLimit = 0,
        };
        return PartitionedRateLimiter.Create<string, string>(caller => RateLimitPartition.GetTokenBucketLimiter(caller, _ => bucket));
    }

    /// <summary>Whole seconds, rounded up and at least one: a client that waits that long finds a token.</summary>
    internal static int RetryAfterSeconds(RateLimitLease lease, int perMinute)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Period(perMinute);
        return (int)Math.Max(1, Math.Ceiling(wait.TotalSeconds));
    }

    private static TimeSpan Period(int perMinute) => TimeSpan.FromTicks(TimeSpan.TicksPerMinute / perMinute);

    private async Task RefuseAsync(HttpContext context, RateLimitLease lease, string caller, string kind, int perMinute)
    {
        var retryAfter = RetryAfterSeconds(lease, perMinute);
        RateLimitLog.Refused(_logger, context.Request.Method, context.Request.Path, ApiCaller.Describe(caller), perMinute, retryAfter);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(
            context,
            StatusCodes.Status429TooManyRequests,
            "Too many requests",
            $"This {kind} has used its {perMinute} requests a minute to /api. Retry after {retryAfter} s (the Retry-After header).").ConfigureAwait(false);
    }
}
