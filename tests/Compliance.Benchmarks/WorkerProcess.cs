using System.Diagnostics;
using System.Reflection;
using System.Text.Json;

namespace Compliance.Benchmarks;

/// <summary>Starts this program again as a scan worker (<c>worker</c>), hands it its request and reads its result.</summary>
internal static class WorkerProcess
{
    public const string Verb = "worker";

    public static async Task<WorkerResult> RunAsync(WorkerRequest request, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable."))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Under `dotnet Compliance.Benchmarks.dll` the process is the host; the worker needs the assembly again.
        if (Path.GetFileNameWithoutExtension(start.FileName).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }

        start.ArgumentList.Add(Verb);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The scan worker did not start.");
        try
        {
            await process.StandardInput.WriteAsync(JsonSerializer.Serialize(request, BenchmarkJson.Options).AsMemory(), cancellationToken).ConfigureAwait(false);
            process.StandardInput.Close();
            var output = await process.StandardOutput.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            if (process.ExitCode != 0 || last is null)
            {
                throw new InvalidOperationException($"The scan worker failed (exit code {process.ExitCode}); its errors are above.");
            }

            return JsonSerializer.Deserialize<WorkerResult>(last, BenchmarkJson.Options)
                ?? throw new InvalidOperationException("The scan worker wrote no result.");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
