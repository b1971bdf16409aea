using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Compliance.Emulator.Arm;

/// <summary>
/// What ARM checks before any route: the bearer token, then the api-version parameter. Also
/// records every request with the status it got.
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
            if (Refusal(context.Request) is { } error)
            {
                await error.ToResult().ExecuteAsync(context).ConfigureAwait(false);
                return;
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

    private ArmError? Refusal(HttpRequest request)
    {
        // ARM authenticates before it looks at anything else in the request.
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return ArmError.AuthenticationFailed("The 'Authorization' header is missing.");
        }

        if (!authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            || !TokenMatches(authorization[BearerPrefix.Length..].Trim()))
        {
            return ArmError.AuthenticationFailed("The access token is invalid.");
        }

        return request.Query["api-version"].ToString().Length == 0 ? ArmError.MissingApiVersion() : null;
    }

    private bool TokenMatches(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(backend.AccessToken));
}
