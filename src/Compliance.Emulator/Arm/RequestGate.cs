using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Compliance.Emulator.Arm;

/// <summary>
/// What ARM does before any route: checks the bearer token, throttles (when limits are set) and reports the remaining counts, checks the api-version
/// parameter, and, when faults are set, fails or slows down the requests they pick. Also records every request with
/// the status it got.
/// </summary>
internal sealed class RequestGate(EmulatorBackend backend)
{
    private const string BearerPrefix = "Bearer ";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var at = backend.Time.GetUtcNow();
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget
            ?? $"{context.Request.Path}{context.Request.QueryString}";
        var recorded = 0;
        void Record()
        {
            if (Interlocked.Exchange(ref recorded, 1) == 0)
            {
                backend.Journal.Record(new RecordedRequest(context.Request.Method, target, context.Response.StatusCode, at));
            }
        }

        // Record before the first byte goes out, so a client that has its answer always finds it in the journal.
        context.Response.OnStarting(() =>
        {
            Record();
            return Task.CompletedTask;
        });
        try
        {
            if (Unauthenticated(context.Request) is { } unauthenticated)
            {
                await unauthenticated.ToResult().ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            // ARM throttles per principal, so only once it knows who calls; a refused request goes no further. Azure
            // reports the remaining counts on every answer, so without limits the headers report full buckets.
            var path = context.Request.Path.Value ?? "/";
            if (backend.Throttle is { } throttle && backend.Limits is { } limits)
            {
                var cost = RequestCost.Of(context.Request.Method, path, backend.Fleet.Current, limits, backend.FindOperation);
                var verdict = throttle.TryTake(cost);
                if (!verdict.Admitted)
                {
                    await new ThrottledResult(cost, verdict).ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                ThrottledResult.AddHeaders(context.Response.Headers, cost, verdict);
            }
            else
            {
                var cost = RequestCost.Of(context.Request.Method, path, backend.Fleet.Current, RateLimitOptions.Azure, backend.FindOperation);
                ThrottledResult.AddHeaders(context.Response.Headers, cost, ThrottleVerdict.Unlimited(cost, backend.Time.GetUtcNow()));
            }

            if (context.Request.Query["api-version"].ToString().Length == 0)
            {
                await ArmError.MissingApiVersion().ToResult().ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            if (backend.Faults?.Next() is { } fault)
            {
                if (fault.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(fault.Delay, backend.Time, context.RequestAborted).ConfigureAwait(false);
                }

                if (fault.Error is { } error)
                {
                    if (fault.RetryAfter > TimeSpan.Zero)
                    {
                        context.Response.Headers.RetryAfter = ThrottledResult.RetryAfterSeconds(fault.RetryAfter).ToString(CultureInfo.InvariantCulture);
                    }

                    await error.ToResult().ExecuteAsync(context).ConfigureAwait(false);
                    return;
                }

                if (fault.Reset == ConnectionReset.BeforeProcessing)
                {
                    context.Abort();
                    return;
                }

                if (fault.Reset == ConnectionReset.AfterProcessing)
                {
                    // The work is done; the answer goes nowhere and the connection drops before its first byte.
                    context.Response.Body = Stream.Null;
                    await next(context).ConfigureAwait(false);
                    context.Abort();
                    return;
                }
            }

            await next(context).ConfigureAwait(false);
        }
        catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
        {
            await ArmError.Unexpected($"The emulator failed: {e.Message}").ToResult().ExecuteAsync(context).ConfigureAwait(false);
        }
        finally
        {
            // Responses that never started (the client went away) are still worth a record.
            Record();
        }
    }

    private ArmError? Unauthenticated(HttpRequest request)
    {
        // ARM authenticates before it looks at anything else in the request.
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return ArmError.AuthenticationFailed("The 'Authorization' header is missing.");
        }

        return !authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || !TokenMatches(authorization[BearerPrefix.Length..].Trim())
            ? ArmError.AuthenticationFailed("The access token is invalid.")
            : null;
    }

    private bool TokenMatches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(backend.AccessToken));
}
