using Compliance.Core.Scanning;
using Spectre.Console;

namespace Compliance.Cli;

/// <summary>Shows a scan's progress on standard error when a person watches; stays silent otherwise.</summary>
internal static class ScanProgressView
{
    /// <summary>Runs <paramref name="scan"/>, reporting its progress when <paramref name="console"/> is interactive.</summary>
    public static async Task<ScanResult> RunAsync(CliConsole console, Func<IProgress<ScanProgress>?, Task<ScanResult>> scan)
    {
        if (!console.Interactive)
        {
            return await scan(null).ConfigureAwait(false);
        }

        var terminal = ReportWriter.CreateConsole(console.Error, interactive: true);
        return await terminal.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Listing resources", maxValue: 1);
                var result = await scan(new TaskProgress(task)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            }).ConfigureAwait(false);
    }

    // Updates the bar directly: Progress<T> would post to the thread pool and could apply updates out of order.
    private sealed class TaskProgress(ProgressTask task) : IProgress<ScanProgress>
    {
        private readonly object _gate = new();

        public void Report(ScanProgress value)
        {
            lock (_gate)
            {
                task.MaxValue = Math.Max(1, value.Discovered);
                task.Value = value.Completed;
                task.Description = value.InventoryComplete
                    ? $"Checked {value.Completed} of {value.Discovered} resources"
                    : $"Checked {value.Completed}, found {value.Discovered} so far";
            }
        }
    }
}
