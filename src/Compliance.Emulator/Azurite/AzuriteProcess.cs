using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Emulator.Azurite;

/// <summary>
/// Azurite's Table and Queue services (and its Blob service, which comes with them) running as one child process on
/// loopback ports, from the repo-local install in <c>tools/azurite</c>. Started with <see cref="StartAsync"/>, ready
/// when returned, and gone (with its whole process tree) after <see cref="DisposeAsync"/>.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The key of <see cref="AccountName"/>: public and the same for every Azurite, not a secret.</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int PortAttempts = 5;
    // Azurite starts its services one after the other, Tables last.
    private const string StartedLine = "Azurite Table service is successfully listening";
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan _closeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan _exitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;
    private int _disposed;

    private AzuriteProcess(Process process, AzuritePorts ports, string scheme)
    {
        _process = process;
        ProcessId = process.Id;
        Ports = ports;
        BlobEndpoint = Endpoint(scheme, ports.Blob);
        QueueEndpoint = Endpoint(scheme, ports.Queue);
        TableEndpoint = Endpoint(scheme, ports.Table);
        ConnectionString = string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol={scheme};AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};");
    }

    /// <summary>The Table endpoint, path-style: <c>http://127.0.0.1:PORT/devstoreaccount1</c> (https when serving a certificate).</summary>
    public Uri TableEndpoint { get; }

    /// <summary>The Queue endpoint, path-style like <see cref="TableEndpoint"/>.</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>The Blob endpoint, path-style like <see cref="TableEndpoint"/>.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>A connection string with the development account and the three endpoints.</summary>
    public string ConnectionString { get; }

    /// <summary>The ports Azurite listens on.</summary>
    public AzuritePorts Ports { get; }

    /// <summary>The id of the Azurite (Node.js) process.</summary>
    public int ProcessId { get; }

    /// <summary>
    /// Starts Azurite and waits until it listens and answers a request. Installs it first (<c>npm ci</c>) when missing
    /// and allowed. When anything fails half way, no process is left behind.
    /// </summary>
    /// <exception cref="AzuriteUnavailableException">Node.js or npm is missing, the install failed, or Azurite did not start within 60 s.</exception>
    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AzuriteOptions();
        Check(options);
        var installation = AzuriteInstallation.Locate(options.ToolsDirectory);
        await installation.EnsureInstalledAsync(options.InstallIfMissing, options.Log, cancellationToken).ConfigureAwait(false);
        var entryPoint = installation.EntryPoint();
        if (options.DataDirectory is not null)
        {
            Directory.CreateDirectory(options.DataDirectory);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_startTimeout);
        var attempts = options.Ports is null ? PortAttempts : 1;
        var lastOutput = string.Empty;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            var ports = options.Ports ?? AzuritePorts.PickFree();
            var (started, output) = await TryStartAsync(installation, entryPoint, ports, options, cancellationToken, deadline.Token).ConfigureAwait(false);
            if (started is not null)
            {
                return started;
            }

            lastOutput = output;
        }

        throw new AzuriteUnavailableException(
            $"Azurite found its port taken {attempts} times in a row.{Environment.NewLine}Its output:{Environment.NewLine}{lastOutput}");
    }

    /// <summary>
    /// Stops Azurite and waits for it to exit; idempotent. It is first asked to close (so that a
    /// <see cref="AzuriteOptions.DataDirectory"/> gets its last writes), then killed with its whole process tree if it
    /// has not exited within a few seconds.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await StopAsync(_process, graceful: true).ConfigureAwait(false);
    }

    /// <summary>One start on <paramref name="ports"/>: the ready process, or null with Azurite's output when a port was taken.</summary>
    private static async Task<(AzuriteProcess? Process, string Output)> TryStartAsync(
        AzuriteInstallation installation,
        string entryPoint,
        AzuritePorts ports,
        AzuriteOptions options,
        CancellationToken cancellationToken,
        CancellationToken deadline)
    {
        var scheme = options.CertificatePath is not null ? "https" : "http";
        var tables = Endpoint(scheme, ports.Table);
        var queues = Endpoint(scheme, ports.Queue);
        var output = new AzuriteOutput(options.Log);
        var start = StartInfo(installation, entryPoint, ports, options);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AzuriteUnavailableException("Node.js did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new AzuriteUnavailableException(
                $"Node.js ('node') was not found on PATH ({exception.Message}); Azurite needs Node.js to be installed.", exception);
        }

        try
        {
            process.OutputDataReceived += (_, e) => output.Add(e.Data);
            process.ErrorDataReceived += (_, e) => output.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var probe = Probe(options.CertificatePath);
            while (true)
            {
                if (process.HasExited)
                {
                    // Drains the redirected output before it is judged.
                    await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                    if (options.Ports is null && output.Contains("EADDRINUSE"))
                    {
                        process.Dispose();
                        return (null, output.ToString());
                    }

                    throw new AzuriteUnavailableException(
                        $"Azurite exited with code {process.ExitCode} before it was ready on ports {ports}.{Environment.NewLine}Its output:{Environment.NewLine}{output}");
                }

                // Only our own process's "started" line proves that it, not another server, holds the port.
                if (output.Contains(StartedLine)
                    && await AnswersAsync(probe, new Uri($"{tables}/Tables"), deadline).ConfigureAwait(false)
                    && await AnswersAsync(probe, new Uri($"{queues}?comp=list"), deadline).ConfigureAwait(false))
                {
                    return (new AzuriteProcess(process, ports, scheme), output.ToString());
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await StopAsync(process, graceful: false).ConfigureAwait(false);
            throw new AzuriteUnavailableException(
                $"Azurite did not start on ports {ports} within {_startTimeout.TotalSeconds} seconds.{Environment.NewLine}Its output:{Environment.NewLine}{output}");
        }
        catch
        {
            await StopAsync(process, graceful: false).ConfigureAwait(false);
            throw;
        }
    }

    private static ProcessStartInfo StartInfo(AzuriteInstallation installation, string entryPoint, AzuritePorts ports, AzuriteOptions options)
    {
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = options.DataDirectory ?? installation.ToolsDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        string[] arguments =
        [
            "--require", installation.StdinGuard,
            entryPoint,
            "--blobHost", "127.0.0.1",
            "--blobPort", ports.Blob.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1",
            "--queuePort", ports.Queue.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1",
            "--tablePort", ports.Table.ToString(CultureInfo.InvariantCulture),
            "--skipApiVersionCheck",
            "--disableProductStyleUrl",
            "--disableTelemetry",
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (options.DataDirectory is null)
        {
            start.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            start.ArgumentList.Add("--location");
            start.ArgumentList.Add(Path.GetFullPath(options.DataDirectory));
        }

        if (options.CertificatePath is not null && options.KeyPath is not null)
        {
            start.ArgumentList.Add("--cert");
            start.ArgumentList.Add(Path.GetFullPath(options.CertificatePath));
            start.ArgumentList.Add("--key");
            start.ArgumentList.Add(Path.GetFullPath(options.KeyPath));
        }

        if (options.OAuth)
        {
            start.ArgumentList.Add("--oauth");
            start.ArgumentList.Add("basic");
        }

        return start;
    }

    /// <summary>The readiness probe's client; over HTTPS it trusts exactly the certificate Azurite was given.</summary>
    private static HttpClient Probe(string? certificatePath)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero };
        if (certificatePath is not null)
        {
            using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificatePath));
            var pinned = SHA256.HashData(certificate.RawData);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
                presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented.GetRawCertData()), pinned);
        }

        return new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
    }

    /// <summary>Whether Azurite answers a request at all: any HTTP status (an unsigned request gets 403) counts.</summary>
    private static async Task<bool> AnswersAsync(HttpClient probe, Uri address, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, address);
            request.Headers.ConnectionClose = true;
            using var response = await probe.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Ends Azurite. Gracefully: closing its stdin makes the preloaded guard (tools/azurite/stdin-guard.js) run Azurite's
    /// own shutdown, which saves its data. Then, or at once, a kill of the whole process tree for whatever is left.
    /// </summary>
    private static async Task StopAsync(Process process, bool graceful)
    {
        try
        {
            if (graceful && !process.HasExited)
            {
                try
                {
                    process.StandardInput.Close();
                }
                catch (IOException)
                {
                    // The pipe is already broken: the process is on its way out.
                }

                await WaitForExitAsync(process, _closeTimeout).ConfigureAwait(false);
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await WaitForExitAsync(process, _exitTimeout).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
        finally
        {
            process.Dispose();
        }
    }

    private static async Task WaitForExitAsync(Process process, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The caller checks HasExited; a process that survives even SIGKILL is beyond our reach, and disposing must end.
        }
    }

    private static Uri Endpoint(string scheme, int port) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{scheme}://127.0.0.1:{port}/{AccountName}"));



    private static void Check(AzuriteOptions options)
    {
        if ((options.CertificatePath is null) != (options.KeyPath is null))
        {
            throw new ArgumentException("CertificatePath and KeyPath go together.", nameof(options));
        }

        if (options.OAuth && options.CertificatePath is null)
        {
            throw new ArgumentException("OAuth needs HTTPS: set CertificatePath and KeyPath.", nameof(options));
        }

        if (options.Ports is { } ports)
        {
            if (ports.All.Any(port => port is < 1 or > 65535))
            {
                throw new ArgumentOutOfRangeException(nameof(options), ports, "Ports must be 1 to 65535.");
            }

            if (ports.All.Distinct().Count() != 3)
            {
                throw new ArgumentException($"The three ports must differ ({ports}).", nameof(options));
            }
        }
    }
}
