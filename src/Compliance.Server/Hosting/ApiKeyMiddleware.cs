using System.Security.Cryptography;
using System.Text;

namespace Compliance.Server.Hosting;

/// <summary>
/// On its own and reachable from off the machine, every <c>/api</c> request needs the API key in
/// <see cref="ApiOptions.KeyHeader"/>. Compared in constant time; a missing or wrong key is a 401 problem.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, string key)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);

    public Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || IsAuthorized(context.Request))
        {
            return next(context);
        }

        return Problems.Write(context, StatusCodes.Status401Unauthorized, "Unauthorized", $"Send the API key in the {ApiOptions.KeyHeader} header.");
    }

    private bool IsAuthorized(HttpRequest request)
    {
        var presented = request.Headers[ApiOptions.KeyHeader].ToString();
        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), _key);
    }
}
