using System.ComponentModel;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Compliance.Emulator.Azurite;

/// <summary>
/// The repo-local Azurite: <c>tools/azurite</c>, whose <c>package.json</c> and <c>package-lock.json</c> pin the version,
/// installed into its own <c>node_modules</c> with <c>npm ci</c> (never globally).
/// </summary>
internal sealed class AzuriteInstallation
{
    private static readonly TimeSpan _installTimeout = TimeSpan.FromMinutes(10);

    private AzuriteInstallation(string toolsDirectory)
    {
        ToolsDirectory = toolsDirectory;
    }

    public string ToolsDirectory { get; }

    /// <summary>The stdin guard preloaded into Azurite so that it never outlives the launcher.</summary>
    public string StdinGuard => Path.Combine(ToolsDirectory, "stdin-guard.js");

    private string Marker => Path.Combine(ToolsDirectory, "node_modules", ".bin", "azurite");

    public bool IsInstalled => File.Exists(Marker);

    public static AzuriteInstallation Locate(string? toolsDirectory)
    {
        if (toolsDirectory is not null)
        {
            var full = Path.GetFullPath(toolsDirectory);
            return File.Exists(Path.Combine(full, "package.json"))
                ? new AzuriteInstallation(full)
                : throw new AzuriteUnavailableException($"{full} holds no package.json; ToolsDirectory must be the folder of Azurite's package.json (tools/azurite).");
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "tools", "azurite");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return new AzuriteInstallation(candidate);
                }
            }
        }

        throw new AzuriteUnavailableException(
            $"No tools/azurite/package.json above {Environment.CurrentDirectory} or {AppContext.BaseDirectory}; set AzuriteOptions.ToolsDirectory.");
    }

    /// <summary>
    /// Runs <c>npm ci</c> when Azurite is missing. A lock file in the temp folder serialises installs, since several test
    /// processes may start Azurite from the same checkout at once.
    /// </summary>
    public async Task EnsureInstalledAsync(bool installIfMissing, TextWriter? log, CancellationToken cancellationToken)
    {
        if (IsInstalled)
        {
            return;
        }

        if (!installIfMissing)
        {
            throw new AzuriteUnavailableException(
                $"Azurite is not installed in {ToolsDirectory} (no node_modules/.bin/azurite); run 'npm ci' there or set InstallIfMissing.");
        }

        await using var installLock = await AcquireLockAsync(cancellationToken).ConfigureAwait(false);
        if (IsInstalled)
        {
            return;
        }

        var output = new AzuriteOutput(log);
        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var start = new ProcessStartInfo(npm)
        {
            WorkingDirectory = ToolsDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new AzuriteUnavailableException("npm did not start.");
        }
        catch (Win32Exception exception)
        {
            throw new AzuriteUnavailableException(
                $"npm was not found on PATH ({exception.Message}); Azurite needs Node.js with npm to be installed.", exception);
        }

        using (process)
        {
            process.OutputDataReceived += (_, e) => output.Add(e.Data);
            process.ErrorDataReceived += (_, e) => output.Add(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_installTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                throw new AzuriteUnavailableException($"'npm ci' in {ToolsDirectory} did not finish within {_installTimeout.TotalMinutes} minutes:{Environment.NewLine}{output}");
            }

            if (process.ExitCode != 0 || !IsInstalled)
            {
                throw new AzuriteUnavailableException(
                    $"'npm ci' in {ToolsDirectory} failed (exit code {process.ExitCode}):{Environment.NewLine}{output}");
            }
        }
    }

    /// <summary>The JavaScript file of the <c>azurite</c> command (every service in one process), from the package's own <c>bin</c> map.</summary>
    public string EntryPoint()
    {
        if (!File.Exists(StdinGuard))
        {
            throw new AzuriteUnavailableException($"{StdinGuard} is missing; it belongs next to Azurite's package.json (see tools/azurite).");
        }

        var package = Path.Combine(ToolsDirectory, "node_modules", "azurite");
        try
        {
            using var manifest = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "package.json")));
            if (manifest.RootElement.TryGetProperty("bin", out var bin)
                && bin.TryGetProperty("azurite", out var entry)
                && entry.GetString() is { Length: > 0 } relative)
            {
                var path = Path.GetFullPath(Path.Combine(package, relative));
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or JsonException or UnauthorizedAccessException)
        {
            throw new AzuriteUnavailableException($"Azurite's package in {package} is unreadable: {exception.Message}", exception);
        }

        throw new AzuriteUnavailableException($"Azurite's package in {package} has no azurite command; reinstall it with 'npm ci'.");
    }

    private async Task<FileStream> AcquireLockAsync(CancellationToken cancellationToken)
    {
        var name = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToolsDirectory)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"compliance-azurite-install-{name}.lock");
        var deadline = DateTime.UtcNow + _installTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
