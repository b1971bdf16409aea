using System.Diagnostics;

namespace Compliance.Cli.Tests;

/// <summary>Runs the CLI in-process (fast, with captured output) or as a real process.</summary>
public static class CliRun
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> InProcessAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await CliApplication.RunAsync(args, new CliConsole(output, error, Interactive: false), CancellationToken.None);
        return new Result(exitCode, output.ToString(), error.ToString());
    }

    public static Task<Result> ProcessAsync(string workingDirectory, params string[] args) =>
        ProcessAsync(workingDirectory, new Dictionary<string, string?>(), args);

    /// <summary>Runs the CLI as a process with <paramref name="environment"/> set on top of this one's.</summary>
    public static async Task<Result> ProcessAsync(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "compliance.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }
}
