using System.Net;

namespace Compliance.Server.Hosting;

/// <summary>Reads the URLs the app is told to listen on, to know whether it is reachable from off the machine.</summary>
internal static class ListenAddresses
{
    /// <summary>The default when nothing is configured: loopback only.</summary>
    public const string Default = "http://127.0.0.1:7071";

    /// <summary>Whether every URL binds a loopback address (127.0.0.0/8, ::1 or localhost).</summary>
    public static bool AreLoopbackOnly(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards are not valid URI hosts; any of them binds every interface.
            var host = url.Split("://", 2) is [_, var rest] ? rest.Split('/', 2)[0] : url;
            host = host.StartsWith('[') ? host[..(host.IndexOf(']', StringComparison.Ordinal) + 1)] : host.Split(':')[0];
            if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!IPAddress.TryParse(host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
            {
                return false;
            }
        }

        return true;
    }
}
