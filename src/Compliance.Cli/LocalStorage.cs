using System.Net.Sockets;
using Compliance.Emulator.Azurite;

namespace Compliance.Cli;

/// <summary>
/// Resolves <c>--store</c> to a connection string, starting a local Azurite when one is needed and stopping it (and
/// only what it started) when disposed.
/// </summary>
internal sealed class LocalStorage : IAsyncDisposable
{
    /// <summary>Azurite's well-known development storage connection string (public, documented values).</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    private readonly AzuriteProcess? _started;

    private LocalStorage(string? connectionString, AzuriteProcess? started, string description)
    {
        ConnectionString = connectionString;
        _started = started;
        Description = description;
    }

    /// <summary>The connection string, or <c>null</c> for no store.</summary>
    public string? ConnectionString { get; }

    /// <summary>What the store is, for messages (never the connection string itself).</summary>
    public string Description { get; }

    public static async Task<LocalStorage> OpenAsync(StoreOption store, bool verbose, TextWriter log, CancellationToken cancellationToken)
    {
        switch (store.Kind)
        {
            case StoreKind.None:
                return new LocalStorage(null, null, "none");
            case StoreKind.ConnectionString:
                return new LocalStorage(store.ConnectionString, null, "the given storage account");
        }

        var development = AzuritePorts.Development;
        var tables = await ListensAsync(development.Table, cancellationToken).ConfigureAwait(false);
        var queues = await ListensAsync(development.Queue, cancellationToken).ConfigureAwait(false);
        if (tables && queues)
        {
            return new LocalStorage(DevelopmentStorage, null, $"Azurite on http://127.0.0.1:{development.Table}/ (queues on port {development.Queue})");
        }

        if (tables || queues)
        {
            // Half an Azurite (azurite-table alone, say) would fail later, mid-scan; say so now.
            throw new InvalidOperationException(
                $"Something listens on 127.0.0.1:{(tables ? development.Table : development.Queue)} but not on 127.0.0.1:{(tables ? development.Queue : development.Table)}: "
                + "'--store azurite' needs Azurite's Table and Queue services (run 'azurite', not 'azurite-table'), or none of them running.");
        }

        var azurite = await StartAsync(new AzuriteOptions
        {
            Ports = development,
            DataDirectory = RepositoryDataDirectory(),
            Log = verbose ? log : null,
        }, cancellationToken).ConfigureAwait(false);
        return new LocalStorage(azurite.ConnectionString, azurite, $"Azurite on {azurite.TableEndpoint} (queues on port {azurite.Ports.Queue}, started for this command)");
    }

    /// <summary>A throw-away Azurite with in-memory persistence on a free port (the demo).</summary>
    public static async Task<LocalStorage> StartInMemoryAsync(bool verbose, TextWriter log, CancellationToken cancellationToken)
    {
        var azurite = await StartAsync(new AzuriteOptions { Log = verbose ? log : null }, cancellationToken).ConfigureAwait(false);
        return new LocalStorage(azurite.ConnectionString, azurite, $"Azurite on {azurite.TableEndpoint} (queues on port {azurite.Ports.Queue}, in memory)");
    }

    public async ValueTask DisposeAsync()
    {
        if (_started is not null)
        {
            await _started.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await AzuriteProcess.StartAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (AzuriteUnavailableException ex)
        {
            throw new InvalidOperationException($"Azurite could not be started: {ex.Message.Split('\n', 2)[0]}", ex);
        }
    }

    // Data lives beside the repository's Azurite, so 'scan --store azurite' and 'report --store azurite' see the same state.
    private static string? RepositoryDataDirectory()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var tools = Path.Combine(directory.FullName, "tools", "azurite");
            if (File.Exists(Path.Combine(tools, "package.json")))
            {
                return Path.Combine(tools, "data");
            }
        }

        return null;
    }

    private static async Task<bool> ListensAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMilliseconds(500));
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
