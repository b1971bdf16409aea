using System.Net;

namespace Compliance.Server.Hosting;

/// <summary>Reads the addresses the server bound, to know whether it is reachable from off the machine.</summary>
internal static class ListenAddresses
{
    /// <summary>The default when nothing is configured: loopback only.</summary>
    public const string Default = "http://127.0.0.1:7071";

    /// <summary>
    /// Whether <paramref name="address"/>, as Kestrel lists a bound address (<c>http://127.0.0.1:7071</c>,
    /// <c>https://[::]:443</c>, <c>http://localhost:5000</c>), is a loopback one: 127.0.0.0/8, ::1 or localhost, which
    /// Kestrel binds to the loopback interfaces only. Anything else (a wildcard, any address, a host name, which
    /// Kestrel binds to every interface, a Unix socket or a named pipe) is not.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        if (string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
