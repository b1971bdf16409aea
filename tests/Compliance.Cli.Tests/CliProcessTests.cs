using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Cli.Tests;

/// <summary>The CLI as a real process: exit codes, and quiet, pure output when redirected.</summary>
public sealed partial class CliProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compliance-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Scan_Redirected_StdoutIsOnlyTheReport()
    {
        var run = await CliRun.ProcessAsync(_directory, "scan", "--fleet", RepositoryFiles.SampleFleet, "--store", "none", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        using var report = JsonDocument.Parse(run.Out);
        Assert.Equal(36, report.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Demo_WritesBothReportsAndExitsZero()
    {
        var run = await CliRun.ProcessAsync(_directory, "demo");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Compliance demo", run.Out, StringComparison.Ordinal);
        Assert.Contains("KVA_SHADOWING_REQUIRED", run.Out, StringComparison.Ordinal);
        var json = Path.Combine(_directory, "demo-output", "report.json");
        var csv = Path.Combine(_directory, "demo-output", "report.csv");
        Assert.Contains(json, run.Out, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(36, report.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
        Assert.Equal(37, File.ReadAllLines(csv).Length);
        Assert.Contains("Stored in Table Storage: 36 resources", run.Out, StringComparison.Ordinal);
        AssertNothingLeftOn(AzuritePort(run.Out));
        AssertNothingLeftOn(AzuriteQueuePort(run.Out));
    }

    [Fact]
    public async Task Demo_CtrlC_StopsEverythingItStarted()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "compliance.dll"), "demo", "--machines", "4000", "--out-dir", "interrupted" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        string? line;
        var port = 0;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("Verdicts go to Table Storage", StringComparison.Ordinal))
            {
                port = AzuritePort(line);
                break;
            }
        }

        Assert.NotEqual(0, port);
        using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("cancelled", await stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "interrupted", "report.json")));
        AssertNothingLeftOn(port);
    }

    private static int AzuritePort(string output) =>
        int.Parse(AzuriteEndpoint().Match(output).Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static int AzuriteQueuePort(string output) =>
        int.Parse(AzuriteEndpoint().Match(output).Groups["queue"].Value, System.Globalization.CultureInfo.InvariantCulture);

    // No process listens there any more, and none was left running with that port on its command line.
    private static void AssertNothingLeftOn(int port)
    {
        using (var listener = new TcpListener(IPAddress.Loopback, port))
        {
            listener.Start();
            listener.Stop();
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => Path.GetFileName(d).All(char.IsAsciiDigit)))
        {
            string commandLine;
            try
            {
                commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
            }
            catch (IOException)
            {
                continue;
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            Assert.DoesNotContain($"--tablePort {port} ", commandLine + " ", StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"Azurite on http://127\.0\.0\.1:(?<port>\d+)/\S* \(queues on port (?<queue>\d+)")]
    private static partial Regex AzuriteEndpoint();

    [Fact]
    public async Task Demo_GeneratedFleet_ScansThatManyMachines()
    {
        var run = await CliRun.ProcessAsync(_directory, "demo", "--machines", "60", "--seed", "7", "--out-dir", "gen");

        Assert.True(run.ExitCode == 0, run.Error);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "gen", "report.json")));
        var machines = report.RootElement.GetProperty("resources").EnumerateArray().Count(r => r.GetProperty("kind").GetString() != "CloudService");
        Assert.Equal(60, machines);
    }
}
