using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Compliance.Emulator.Azurite;

namespace Compliance.Azure.Tests.Tables;

/// <summary>The launcher itself: each test starts (or fails to start) an Azurite of its own.</summary>
public sealed class AzuriteProcessTests
{
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The processes whose command line holds <c>--tablePort PORT</c> (read from /proc: the test machines run Linux).</summary>
    private static List<int> AzuritesOnPort(int port)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var arguments = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var at = Array.IndexOf(arguments, "--tablePort");
                if (at >= 0 && at + 1 < arguments.Length && arguments[at + 1] == port.ToString(System.Globalization.CultureInfo.InvariantCulture))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while it was being read.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours to read, so not ours.
            }
        }

        return found;
    }

    [Fact]
    public async Task StartAsync_ThenDispose_ServesRequestsThenLeavesNoProcessAndAFreePort()
    {
        var azurite = await AzuriteProcess.StartAsync();
        var port = azurite.Ports.Table;
        var processId = azurite.ProcessId;
        var client = new TableClient(azurite.ConnectionString, "launcher");
        await client.CreateIfNotExistsAsync();
        await client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 });
        var stored = (await client.GetEntityAsync<TableEntity>("p", "r")).Value;
        var runningBefore = IsRunning(processId);
        var portTakenBefore = !PortIsFree(port);

        await azurite.DisposeAsync();
        await azurite.DisposeAsync();

        Assert.Equal(1, stored.GetInt32("V"));
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/devstoreaccount1"), azurite.TableEndpoint);
        Assert.True(runningBefore);
        Assert.True(portTakenBefore);
        Assert.False(IsRunning(processId));
        Assert.Empty(AzuritesOnPort(port));
        Assert.True(PortIsFree(port));
    }

    [Fact]
    public async Task StartAsync_ConnectionString_HasTheAccountKeyAndTheEndpoint()
    {
        await using var azurite = await AzuriteProcess.StartAsync();

        Assert.Equal(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:{azurite.Ports.Blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{azurite.Ports.Queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{azurite.Ports.Table}/devstoreaccount1;",
            azurite.ConnectionString);
    }

    [Fact]
    public async Task StartAsync_DataDirectory_KeepsTheDataAcrossRestarts()
    {
        var data = Directory.CreateTempSubdirectory("azurite-data-");
        try
        {
            var options = new AzuriteOptions { DataDirectory = data.FullName };
            await using (var first = await AzuriteProcess.StartAsync(options))
            {
                var client = new TableClient(first.ConnectionString, "kept");
                await client.CreateIfNotExistsAsync();
                await client.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 42 });
            }

            await using var second = await AzuriteProcess.StartAsync(options);
            var entity = (await new TableClient(second.ConnectionString, "kept").GetEntityAsync<TableEntity>("p", "r")).Value;

            Assert.Equal(42, entity.GetInt32("V"));
            Assert.NotEmpty(data.EnumerateFiles());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_FixedPortAlreadyTaken_ThrowsWithAzuritesOutputAndLeavesNoProcess()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var log = new StringWriter();

        var error = await Assert.ThrowsAsync<AzuriteUnavailableException>(() => AzuriteProcess.StartAsync(new AzuriteOptions { Ports = AzuritePorts.PickFree() with { Table = port }, Log = log }));

        Assert.Contains("EADDRINUSE", error.Message, StringComparison.Ordinal);
        Assert.Contains("EADDRINUSE", log.ToString(), StringComparison.Ordinal);
        Assert.Empty(AzuritesOnPort(port));
    }

    [Fact]
    public async Task StartAsync_CancelledWhileStarting_LeavesNoProcess()
    {
        var port = FreePort();
        using var cancellation = new CancellationTokenSource();
        var log = new LineSignal("Azurite Table service is starting", cancellation);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => AzuriteProcess.StartAsync(new AzuriteOptions { Ports = AzuritePorts.PickFree() with { Table = port }, Log = log }, cancellation.Token));

        Assert.True(log.Seen);
        Assert.Empty(AzuritesOnPort(port));
        Assert.True(PortIsFree(port));
    }

    [Fact]
    public async Task StartAsync_ToolsDirectoryWithoutPackageJson_ThrowsAzuriteUnavailable()
    {
        var empty = Directory.CreateTempSubdirectory("azurite-tools-");
        try
        {
            var error = await Assert.ThrowsAsync<AzuriteUnavailableException>(() => AzuriteProcess.StartAsync(new AzuriteOptions { ToolsDirectory = empty.FullName }));

            Assert.Contains("package.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_NotInstalledAndInstallDisabled_ThrowsAzuriteUnavailableThatSaysHowToInstall()
    {
        var tools = Directory.CreateTempSubdirectory("azurite-tools-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(tools.FullName, "package.json"), "{\"private\":true}");

            var error = await Assert.ThrowsAsync<AzuriteUnavailableException>(
                () => AzuriteProcess.StartAsync(new AzuriteOptions { ToolsDirectory = tools.FullName, InstallIfMissing = false }));

            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            tools.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_OAuthWithoutCertificate_ThrowsArgumentException()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => AzuriteProcess.StartAsync(new AzuriteOptions { OAuth = true }));

        Assert.Equal("options", error.ParamName);
    }

    /// <summary>A log that cancels a start as soon as Azurite prints a given line, i.e. while it is starting.</summary>
    private sealed class LineSignal(string line, CancellationTokenSource cancellation) : TextWriter
    {
        public bool Seen { get; private set; }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void WriteLine(string? value)
        {
            if (value?.Contains(line, StringComparison.Ordinal) == true)
            {
                Seen = true;

                // Not inline: this runs on the launcher's output thread, which the cancelled start then waits for.
                ThreadPool.QueueUserWorkItem(_ => cancellation.Cancel());
            }
        }
    }
}
