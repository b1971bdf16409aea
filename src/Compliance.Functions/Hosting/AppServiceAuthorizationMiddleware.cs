using Compliance.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Hosting;

/// <summary>
/// With App Service Authentication (Entra ID) in front of the app (<see cref="ApiOptions.Authentication"/> =
/// <see cref="ApiAuthentication.AppService"/>), the caller's app roles decide what it may do: each HTTP function's
/// <see cref="ApiPermission"/> (by its name; an unclassified one counts as operating) needs <see cref="ApiRoles.Read"/>
/// or <see cref="ApiRoles.Operate"/> to read, <see cref="ApiRoles.Operate"/> to operate. No principal is a 401
/// problem, a missing role a 403 problem; both count as failed authentications of the address
/// (<see cref="FailedAuthenticationLimiter"/>). The host still checks the function key first: an authorization level is
/// compiled into the function, and the host grants it from keys only, whatever App Service Authentication says.
/// In the default mode this middleware does nothing: the header could be anyone's.
/// </summary>
internal sealed class AppServiceAuthorizationMiddleware(
    IOptions<ApiOptions> options,
    FailedAuthenticationLimiter failures,
    ILogger<AppServiceAuthorizationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (options.Value.Authentication != ApiAuthentication.AppService || context.GetHttpContext() is not { } http)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var needed = ApiPermission.Find(context.FunctionDefinition.Name) ?? ApiPermission.Operate;
        if (needed == ApiPermission.Anonymous)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (!await failures.AdmitAsync(http).ConfigureAwait(false))
        {
            return;
        }

        if (AppServicePrincipal.Of(http.Request) is not { } principal)
        {
            failures.Record(http, "no signed-in principal");
            await Problems.Write(http, StatusCodes.Status401Unauthorized, "Unauthorized", "Sign in with Entra ID: App Service Authentication passed no principal.").ConfigureAwait(false);
            return;
        }

        var allowed = principal.Roles.Contains(ApiRoles.Operate) || (needed == ApiPermission.Read && principal.Roles.Contains(ApiRoles.Read));
        if (!allowed)
        {
            failures.Record(http, $"no role for {needed.Name}");
            var role = needed == ApiPermission.Read ? $"{ApiRoles.Read} or {ApiRoles.Operate}" : ApiRoles.Operate;
            AuthenticationLog.Forbidden(logger, http.Request.Method, http.Request.Path, ApiCaller.AddressOf(http, HostingMode.FunctionsHost), needed.Name);
            await Problems.Write(http, StatusCodes.Status403Forbidden, "Forbidden", $"{http.Request.Method} {http.Request.Path} needs the app role {role}.").ConfigureAwait(false);
            return;
        }

        ApiIdentity.Mark(http, principal.Identity ?? principal.AuthenticationType);
        await next(context).ConfigureAwait(false);
    }
}
