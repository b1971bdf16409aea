using System.Net;
using System.Net.Sockets;

namespace Compliance.Testing;

/// <summary>Loopback ports for servers a test starts, or for a test that needs nothing to listen.</summary>
public static class LoopbackPort
{
    /// <summary>A port nothing listens on: free a moment ago, though another process may take it before it is used.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
