using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>202 Accepted with the polling headers ARM sends for a running operation.</summary>
internal sealed class AcceptedResult(string? asyncOperation, string location, TimeSpan remaining) : IResult
{
    public static void AddRetryAfter(IHeaderDictionary headers, TimeSpan remaining)
    {
        if (remaining <= TimeSpan.Zero)
        {
            return;
        }

        var milliseconds = (long)Math.Ceiling(remaining.TotalMilliseconds);
        headers.RetryAfter = ((milliseconds + 999) / 1000).ToString(CultureInfo.InvariantCulture);
        headers["retry-after-ms"] = milliseconds.ToString(CultureInfo.InvariantCulture);
    }

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status202Accepted;
        if (asyncOperation is not null)
        {
            response.Headers["Azure-AsyncOperation"] = asyncOperation;
        }

        response.Headers.Location = location;
        AddRetryAfter(response.Headers, remaining);
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
