namespace Compliance.Server.Hosting;

/// <summary>
/// Who may do what on <c>compliance serve</c>'s <c>/api</c>: each route's <see cref="ApiPermission"/> (endpoint
/// metadata; an unknown route counts as reading, a route without a class as operating) against the key in
/// <see cref="ApiOptions.KeyHeader"/>. The read key reads, the operator key reads and operates; a missing or wrong key
/// is a 401 problem, a read key on an operating route a 403 problem. Without any key configured (allowed on loopback
/// only, <see cref="ListenCheck"/>) everything is open, for local development. An address with too many failed
/// authentications is refused before its key is looked at (<see cref="FailedAuthenticationLimiter"/>).
/// </summary>
internal sealed class ApiAccessMiddleware(RequestDelegate next, ApiKeys keys, FailedAuthenticationLimiter failures, ILogger<ApiAccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var needed = Needed(context);
        if (needed is null || needed == ApiPermission.Anonymous || !keys.Any)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!await failures.AdmitAsync(context).ConfigureAwait(false))
        {
            return;
        }

        var presented = context.Request.Headers[ApiOptions.KeyHeader].ToString();
        var granted = keys.Match(presented);
        if (granted is null)
        {
            failures.Record(context, presented.Length == 0 ? "no key" : "wrong key");
            await Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"Send the read or the operator key in the {ApiOptions.KeyHeader} header.").ConfigureAwait(false);
            return;
        }

        if (needed == ApiPermission.Operate && granted != ApiPermission.Operate)
        {
            AuthenticationLog.Forbidden(logger, context.Request.Method, context.Request.Path, ApiCaller.AddressOf(context, HostingMode.Standalone), needed.Name);
            var detail = keys.HasOperatorKey
                ? $"{context.Request.Method} {context.Request.Path} needs the operator key; the read key only reads."
                : $"No operator key configured: set {ApiOptions.SectionName}:{nameof(ApiOptions.OperatorKey)} to allow {context.Request.Method} {context.Request.Path}.";
            await Problems.Write(context, StatusCodes.Status403Forbidden, "Forbidden", detail).ConfigureAwait(false);
            return;
        }

        ApiCaller.MarkVerified(context, ApiKeys.Digest(presented));
        ApiCaller.MarkIdentity(context, granted == ApiPermission.Operate ? "operator key" : "read key");
        await next(context).ConfigureAwait(false);
    }

    // Null: not the API. A path of /api that matches no route needs reading, so the API's shape is not open to
    // strangers; a route that matched but has no class (a method the route does not allow, say) needs operating.
    private static ApiPermission? Needed(HttpContext context)
    {
        if (!ApiRateLimiter.IsLimited(context.Request.Path))
        {
            return null;
        }

        var endpoint = context.GetEndpoint();
        return endpoint is null ? ApiPermission.Read : endpoint.Metadata.GetMetadata<ApiPermission>() ?? ApiPermission.Operate;
    }
}
