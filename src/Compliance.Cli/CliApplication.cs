using System.CommandLine;
using Compliance.Core.Reporting;

namespace Compliance.Cli;

/// <summary>The <c>compliance</c> command line: parses, dispatches, and maps outcomes to the documented exit codes.</summary>
internal static class CliApplication
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        var root = new RootCommand("compliance: checks Azure VMs, scale-set instances and Cloud Services against the speculative-execution (Spectre/Meltdown) guidance.")
        {
            ScanCommand.Create(console),
            ReportCommand.Create(console),
            DemoCommand.Create(console),
            ServeCommand.Create(console),
            ExemptCommand.Create(console),
            RemediateCommand.Create(console),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await console.Error.WriteLineAsync($"compliance: {InertText.ForTerminal(error.Message, keepLineFeeds: true)}").ConfigureAwait(false);
            }

            await console.Error.WriteLineAsync("Run 'compliance --help' for usage.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        return await parsed.InvokeAsync(
            new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a command body behind the CLI's one exception boundary: usage problems exit 2, everything else 1, with one
    /// line on standard error (the stack trace only with <c>--verbose</c>).
    /// </summary>
    public static async Task<int> GuardAsync(CliConsole console, bool verbose, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (UsageException ex)
        {
            await console.Error.WriteLineAsync($"compliance: {InertText.ForTerminal(ex.Message, keepLineFeeds: true)}").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }
        catch (OperationCanceledException)
        {
            await console.Error.WriteLineAsync("compliance: cancelled.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
        catch (Exception ex)
        {
            // A message can quote Azure's answer or a guest's output: shown with its control characters as marks.
            await console.Error.WriteLineAsync($"compliance: {ex.GetType().Name}: {InertText.ForTerminal(ex.Message.Split('\n', 2)[0].Trim())}").ConfigureAwait(false);
            if (verbose)
            {
                await console.Error.WriteLineAsync(InertText.ForTerminal(ex.ToString(), keepLineFeeds: true)).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }
    }
}
