using Compliance.Server.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Compliance.Functions.Hosting;

/// <summary>
/// The limits of <c>compliance serve</c> on the HTTP triggers too (<see cref="ApiRateLimiter"/>: a bucket per client
/// address, the last of <c>X-Forwarded-For</c>, and one per function key, except on the anonymous health check). Other triggers pass through: the host
/// paces them itself, and refusing one would fail a timer or queue invocation.
/// </summary>
internal sealed class ApiRateLimitMiddleware(ApiRateLimiter limiter) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is not { } http || await limiter.AdmitAsync(http).ConfigureAwait(false))
        {
            await next(context).ConfigureAwait(false);
        }
    }
}
