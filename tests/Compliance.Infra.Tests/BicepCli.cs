using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>
/// The Bicep CLI of the NuGet package <c>Azure.Bicep.CommandLine.linux-x64</c> (restored with the tests, no other
/// download), and its diagnostics read from its output.
/// </summary>
internal static partial class BicepCli
{
    /// <summary>The binary: the package's build props name it, and the project hands the path to the tests.</summary>
    public static string Path { get; } = Locate();

    /// <summary>Runs <c>bicep build</c> of <paramref name="file"/> to standard output, then <c>bicep lint</c>; every diagnostic of both.</summary>
    public static async Task<BicepRun> CheckAsync(string file)
    {
        var build = await RunAsync("build", file, "--stdout");
        var lint = await RunAsync("lint", file);
        return new BicepRun(build.ExitCode, lint.ExitCode, [.. Diagnostics(build.Error), .. Diagnostics(lint.Error).Concat(Diagnostics(lint.Output))], build.Output);
    }

    /// <summary>The diagnostics of <paramref name="text"/>, one per line in Bicep's <c>path(line,col) : Level code: message</c> form.</summary>
    public static IReadOnlyList<BicepDiagnostic> Diagnostics(string text) =>
        [.. DiagnosticLine().Matches(text).Select(m => new BicepDiagnostic(m.Groups["file"].Value, int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups["level"].Value, m.Groups["code"].Value, m.Groups["message"].Value.Trim()))];

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry, and no look for a newer version on the internet.
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start.");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string Locate()
    {
        var configured = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value;
        Assert.False(string.IsNullOrWhiteSpace(configured), "The test project did not get BicepPath from the Azure.Bicep.CommandLine package.");
        var path = configured!.Replace('\\', '/');
        Assert.True(File.Exists(path), $"The Bicep CLI is not at {path}.");

        // The package keeps the binary executable for its owner only; a cache shared with another user needs the bit.
        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(path);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            }
        }

        return path;
    }

    [GeneratedRegex(@"^(?<file>.+?)\((?<line>\d+),\d+\) : (?<level>Error|Warning|Info) (?<code>[\w-]+): (?<message>.*)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DiagnosticLine();
}
