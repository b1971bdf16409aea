using Compliance.Server.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Compliance.Functions.Hosting;

/// <summary>
/// The per-caller limit of <c>compliance serve</c> on the HTTP triggers too (<see cref="ApiRateLimiter"/>, one bucket
/// per function key, or per client address for the anonymous health check). Other triggers pass through: the host
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
