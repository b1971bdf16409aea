using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The throttling headers of every answer, and the 429 of a refused request with the body ARM or Microsoft.Compute
/// sends (PLATFORM.md 3.1 and 3.2).
/// </summary>
internal sealed class ThrottledResult(RequestCost cost, ThrottleVerdict verdict) : IResult
{
    public const string ResourceHeader = "x-ms-ratelimit-remaining-resource";

    /// <summary>The principal that ARM's throttling message names as the actor; the emulator has one caller.</summary>
    public const string PrincipalId = "5f0c8a1e-3b7d-4c2a-9e61-7d2b4a8c0f53";

    /// <summary>
    /// <c>x-ms-ratelimit-remaining-subscription-reads|writes|deletes</c> (or <c>-tenant-</c>) and, when the request
    /// drew from Compute buckets, one <c>x-ms-ratelimit-remaining-resource</c> header whose values are joined with
    /// commas, as Azure sends them: <c>Microsoft.Compute/UpdateVMSubscriptionMaximum;1499,Microsoft.Compute/UpdateVMResource;11</c>.
    /// </summary>
    public static void AddHeaders(IHeaderDictionary headers, RequestCost cost, ThrottleVerdict verdict)
    {
        headers[cost.ArmHeader] = verdict.ArmRemaining.ToString(CultureInfo.InvariantCulture);
        if (verdict.ComputeRemaining.Count > 0)
        {
            headers[ResourceHeader] = string.Join(',', verdict.ComputeRemaining.Select(r =>
                $"{RequestCost.ComputeNamespace}/{r.Policy};{r.Remaining.ToString(CultureInfo.InvariantCulture)}"));
        }
    }

    /// <summary>Whole seconds, rounded up, until every bucket the request needs has a token again.</summary>
    public static long RetryAfterSeconds(TimeSpan wait) => Math.Max(1, (wait.Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var culprit = verdict.Culprit ?? throw new InvalidOperationException("An admitted request has no 429.");
        var seconds = RetryAfterSeconds(verdict.RetryAfter);
        var response = httpContext.Response;
        AddHeaders(response.Headers, cost, verdict);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var body = ReferenceEquals(culprit, cost.Arm) ? ArmBody(seconds) : ComputeBody(culprit, seconds);
        return ArmResults.Json(body, StatusCodes.Status429TooManyRequests).ExecuteAsync(httpContext);
    }

    private JsonObject ArmBody(long seconds)
    {
        var error = cost.SubscriptionId is { } subscriptionId
            ? ArmError.RequestsThrottled(cost.OperationWord, "subscription", subscriptionId, PrincipalId, seconds)
            : ArmError.RequestsThrottled(cost.OperationWord, "tenant", ArmJson.TenantId, PrincipalId, seconds);
        return error.ToBody();
    }

    private JsonObject ComputeBody(BucketDemand culprit, long seconds)
    {
        // Compute's throttling body is not wrapped in "error" (compute-throttling-limits troubleshooting article).
        var detail = new JsonObject
        {
            ["operationGroup"] = culprit.Policy,
            ["startTime"] = ArmJson.Time(verdict.At),
            ["endTime"] = ArmJson.Time(verdict.At + TimeSpan.FromSeconds(seconds)),
            ["allowedRequestCount"] = culprit.Limit.Capacity,
            ["measuredRequestCount"] = verdict.MeasuredCount,
        };
        return new JsonObject
        {
            ["code"] = "OperationNotAllowed",
            ["message"] = "The server rejected the request because too many requests have been received for this subscription.",
            ["details"] = new JsonArray(new JsonObject
            {
                ["code"] = "TooManyRequests",
                ["target"] = culprit.Policy,
                ["message"] = detail.ToJsonString(),
            }),
        };
    }
}
