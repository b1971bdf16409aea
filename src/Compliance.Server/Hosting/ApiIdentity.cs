namespace Compliance.Server.Hosting;

/// <summary>
/// Who made a request, as an audit record (an exemption's <c>createdBy</c>) names them: under <c>compliance serve</c>
/// the name of the key that was presented (never the key), under the Functions host the signed-in principal's name
/// and object id, or the function key when the host checked keys. Set by the access check that accepted the request.
/// </summary>
public static class ApiIdentity
{
    /// <summary>The identity of a request made with <c>compliance serve</c>'s operator key.</summary>
    public const string OperatorKey = "api-key:operator";

    /// <summary>The identity of a request made with <c>compliance serve</c>'s read key.</summary>
    public const string ReadKey = "api-key:read";

    private const int MaxLength = 200;

    private static readonly object _item = new();

    /// <summary>Records <paramref name="identity"/> as the caller of <paramref name="context"/>'s request.</summary>
    public static void Mark(HttpContext context, string identity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(identity);

        // A name from a token is the identity provider's text: kept printable and bounded, as any stored text.
        var clean = new string(identity.Where(c => !char.IsControl(c)).Take(MaxLength).ToArray()).Trim();
        context.Items[_item] = clean.Length == 0 ? "unnamed" : clean;
    }

    /// <summary>
    /// The caller of <paramref name="context"/>'s request: what the access check recorded, else, under the host, the
    /// function key's fingerprint (<c>function-key:</c> and the first 12 hex digits of its SHA-256: the host checks keys
    /// before the worker, which does not learn the key's name), or <c>local</c> on its own (no key configured: loopback
    /// only).
    /// </summary>
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(_item, out var marked) && marked is string identity)
        {
            return identity;
        }

        var mode = context.RequestServices.GetService<HostingModeAccessor>()?.Mode;
        if (mode != HostingMode.FunctionsHost)
        {
            return "local";
        }

        return ApiCaller.KeyOf(context, HostingMode.FunctionsHost) is { } key ? "function-key:" + ApiCaller.Describe(key)["key:".Length..] : "function-key";
    }
}
