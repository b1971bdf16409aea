using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Hosting;

/// <summary>
/// Failed authentications (a missing or wrong key, a missing role) per client address, in both hosts: each failure
/// takes a token from the address's bucket of <see cref="ApiOptions.FailedAuthenticationsPerMinute"/>, and an address
/// whose bucket is empty is refused with a 429 problem before its key is even looked at, so guessing keys costs a
/// minute per handful of guesses. Every failure is logged with the address, never the key.
/// </summary>
public sealed class FailedAuthenticationLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly int _perMinute;
    private readonly HostingMode _mode;
    private readonly ILogger _logger;

    /// <summary>Creates the limiter for the app running as <paramref name="mode"/>.</summary>
    public FailedAuthenticationLimiter(IOptions<ApiOptions> options, HostingMode mode, ILogger<FailedAuthenticationLimiter> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _perMinute = options.Value.FailedAuthenticationsPerMinute;
        _mode = mode;
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _failures = ApiRateLimiter.Buckets(_perMinute);
    }

    /// <summary>
    /// Whether <paramref name="context"/>'s address may still try to authenticate; otherwise the 429 problem is written
    /// and the request must end there.
    /// </summary>
    public async ValueTask<bool> AdmitAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = ApiCaller.AddressOf(context, _mode);
        // A look at the bucket that takes nothing: while it holds a token, the address may try once more.
        if (_failures.GetStatistics(address) is not { CurrentAvailablePermits: 0 })
        {
            return true;
        }

        // The next token comes within a period of the bucket (a minute / the limit).
        var retryAfter = (int)Math.Ceiling(60.0 / _perMinute);
        AuthenticationLog.Blocked(_logger, context.Request.Method, context.Request.Path, address, _perMinute, retryAfter);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await Problems.Write(
            context,
            StatusCodes.Status429TooManyRequests,
            "Too many failed authentications",
            $"This address has failed to authenticate {_perMinute} times in a minute. Retry after {retryAfter} s (the Retry-After header).").ConfigureAwait(false);
        return false;
    }

    /// <summary>Counts a failed authentication of <paramref name="context"/>'s address, and logs it with <paramref name="reason"/>.</summary>
    public void Record(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = ApiCaller.AddressOf(context, _mode);
        using var lease = _failures.AttemptAcquire(address);
        AuthenticationLog.Failed(_logger, context.Request.Method, context.Request.Path, address, reason);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _failures.DisposeAsync();
}
