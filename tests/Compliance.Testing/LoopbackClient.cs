using System.Net;
using System.Net.Sockets;

namespace Compliance.Testing;

/// <summary>
/// HTTP clients of an app on loopback whose connections come from a chosen loopback address (127.0.0.0/8 is all
/// loopback), so one test can be several callers by address: for the limits per address and on failed authentication.
/// </summary>
public static class LoopbackClient
{
    /// <summary>A client of <paramref name="baseAddress"/> that connects from <paramref name="localAddress"/>.</summary>
    public static HttpClient From(Uri baseAddress, string localAddress)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(IPAddress.Loopback, context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = baseAddress };
    }
}
