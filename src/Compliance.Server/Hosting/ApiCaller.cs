using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Primitives;

namespace Compliance.Server.Hosting;

/// <summary>
/// Who an <c>/api</c> request comes from, as the partitions of the rate limits (<see cref="ApiRateLimiter"/>,
/// <see cref="FailedAuthenticationLimiter"/>): its client address, and the key it presents where something has checked
/// that key. A key that nobody checked does not count, or a caller could make up a fresh key for every request and
/// never be limited. Keys are kept only as their SHA-256, so the raw key is never held by a limiter nor written to a log.
/// </summary>
public static class ApiCaller
{
    /// <summary>The header that carries a function key under the Functions host.</summary>
    public const string FunctionsKeyHeader = "x-functions-key";

    /// <summary>The query parameter that carries a function key under the Functions host.</summary>
    public const string FunctionsKeyQuery = "code";

    /// <summary>The header the platform's front end appends the client's address to.</summary>
    public const string ForwardedForHeader = "X-Forwarded-For";

    // The Health function is anonymous: the host passes on whatever key comes with it without checking it.
    private const string AnonymousPath = "/api/health";

    private const string KeyPrefix = "key:";
    private const string AddressPrefix = "ip:";

    // An IPv6 client usually holds a whole /64 and can pick any address in it, so the /64 is the caller.
    private const int Ipv6CallerPrefixBytes = 8;

    /// <summary>The header App Service Authentication writes the signed-in principal's name to.</summary>
    public const string PrincipalNameHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    private const int MaxIdentityLength = 200;

    // Where compliance serve's key check leaves the digest of a key it found right, for the key's rate limit.
    private static readonly object _verifiedKeyItem = new();

    // Where compliance serve's key check leaves the name of the key it found right, as the caller's identity.
    private static readonly object _identityItem = new();

    /// <summary>
    /// Who the caller is, as an audit trail records it (never a key itself): on its own, the name of the key the caller
    /// presented (<c>operator key</c>, <c>read key</c>), or <c>local (no API key)</c> when none is configured; under the
    /// host with App Service Authentication, the signed-in principal's name; with function keys alone, the key's
    /// fingerprint (<c>function key</c> and the first 12 hex digits of its SHA-256).
    /// </summary>
    public static string IdentityOf(HttpContext context, HostingMode mode, ApiAuthentication authentication)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (mode != HostingMode.FunctionsHost)
        {
            return context.Items.TryGetValue(_identityItem, out var named) && named is string name ? name : "local (no API key)";
        }

        if (authentication == ApiAuthentication.AppService)
        {
            var principal = context.Request.Headers[PrincipalNameHeader].ToString();
            if (!string.IsNullOrWhiteSpace(principal) && principal.Length <= MaxIdentityLength && !principal.Any(char.IsControl))
            {
                return principal.Trim();
            }
        }

        return KeyOf(context, mode) is { } key ? "function key " + Describe(key)[KeyPrefix.Length..] : "function key (unknown)";
    }

    /// <summary>Records the name of the key <see cref="ApiAccessMiddleware"/> found right, as the caller's identity.</summary>
    internal static void MarkIdentity(HttpContext context, string name) => context.Items[_identityItem] = name;

    /// <summary>The client address of <paramref name="context"/>'s request, as a partition name (<c>ip:…</c>).</summary>
    /// <param name="context">The request.</param>
    /// <param name="mode">How the app runs: it decides which address is the client's.</param>
    public static string AddressOf(HttpContext context, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The host forwards every request from loopback. The front end appends the address it was connected from to any
        // X-Forwarded-For the client sent itself, so only the last entry is not the caller's own word. On its own the
        // app is reached directly, and a caller could write anything there: X-Forwarded-For is not read.
        return mode == HostingMode.FunctionsHost
            ? Address(LastForwardedAddress(context.Request.Headers[ForwardedForHeader]) ?? context.Connection.RemoteIpAddress)
            : Address(context.Connection.RemoteIpAddress);
    }

    /// <summary>
    /// The checked key of <paramref name="context"/>'s request, as a partition name (<c>key:</c> and its SHA-256), or
    /// <see langword="null"/>: under the host, the function key of any route but the anonymous health check (the host
    /// checked it before the worker sees the request); on its own, the key <see cref="ApiAccessMiddleware"/> found right.
    /// </summary>
    public static string? KeyOf(HttpContext context, HostingMode mode)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (mode == HostingMode.FunctionsHost)
        {
            return request.Path.StartsWithSegments(AnonymousPath, StringComparison.OrdinalIgnoreCase)
                ? null
                : FirstNonEmpty(request.Headers[FunctionsKeyHeader], request.Query[FunctionsKeyQuery]) is { } key ? Key(key) : null;
        }

        return context.Items.TryGetValue(_verifiedKeyItem, out var verified) ? verified as string : null;
    }

    /// <summary>Records that <paramref name="digest"/> (a key's SHA-256) was checked and found right for this request.</summary>
    internal static void MarkVerified(HttpContext context, byte[] digest) => context.Items[_verifiedKeyItem] = KeyPrefix + Convert.ToHexString(digest);

    /// <summary>A caller as a log may show it: the address, or the first 12 hex digits of the key's hash.</summary>
    public static string Describe(string caller) =>
        caller.StartsWith(KeyPrefix, StringComparison.Ordinal) ? caller[..(KeyPrefix.Length + 12)] : caller;

    /// <summary>
    /// The last address of <c>X-Forwarded-For</c> (<c>anything, ..., client[:port]</c>), if it is one. A header sent
    /// several times counts as one list, in order.
    /// </summary>
    internal static IPAddress? LastForwardedAddress(StringValues header)
    {
        var value = header.LastOrDefault(v => !string.IsNullOrWhiteSpace(v));
        if (value is null)
        {
            return null;
        }

        var last = value[(value.LastIndexOf(',') + 1)..].Trim();
        // App Service writes the client as address:port ([address]:port for IPv6); a bare address parses as well.
        return IPEndPoint.TryParse(last, out var endpoint) ? endpoint.Address : null;
    }

    private static string? FirstNonEmpty(params StringValues[] values) =>
        values.SelectMany(v => v).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));

    private static string Key(string key) => KeyPrefix + Convert.ToHexString(ApiKeys.Digest(key));

    private static string Address(IPAddress? address)
    {
        if (address is null)
        {
            return AddressPrefix + "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(address))
        {
            var bytes = address.GetAddressBytes();
            Array.Clear(bytes, Ipv6CallerPrefixBytes, bytes.Length - Ipv6CallerPrefixBytes);
            return $"{AddressPrefix}{new IPAddress(bytes)}/64";
        }

        return AddressPrefix + address;
    }
}
