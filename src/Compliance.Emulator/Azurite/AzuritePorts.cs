using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Compliance.Emulator.Azurite;

/// <summary>
/// Azurite's three loopback ports. The Blob service is not used by Compliance itself, but Azurite's one entry point that
/// serves Queues and Tables together serves Blobs too, and the Functions host keeps its own state there.
/// </summary>
/// <param name="Blob">The Blob service's port.</param>
/// <param name="Queue">The Queue service's port.</param>
/// <param name="Table">The Table service's port.</param>
public sealed record AzuritePorts(int Blob, int Queue, int Table)
{
    /// <summary>The ports <c>UseDevelopmentStorage=true</c> reaches: 10000, 10001 and 10002.</summary>
    public static AzuritePorts Development { get; } = new(10000, 10001, 10002);

    /// <summary>The ports, blob first.</summary>
    public IReadOnlyList<int> All => [Blob, Queue, Table];

    /// <summary>
    /// Three loopback ports free now (the three listeners are held together, so the ports differ); another process may
    /// take one before Azurite binds it, which <see cref="AzuriteProcess.StartAsync"/> survives by trying again.
    /// </summary>
    public static AzuritePorts PickFree()
    {
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            var ports = listeners.Select(listener =>
            {
                listener.Start();
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }).ToList();
            return new AzuritePorts(ports[0], ports[1], ports[2]);
        }
        finally
        {
            listeners.ForEach(listener => listener.Stop());
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"blob {Blob}, queue {Queue}, table {Table}");
}
