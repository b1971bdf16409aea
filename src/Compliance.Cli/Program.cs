using Compliance.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // The first Ctrl+C stops the scan cleanly (the emulator and other children are disposed); a second one kills.
    if (!cancellation.IsCancellationRequested)
    {
        e.Cancel = true;
        cancellation.Cancel();
    }
};

var console = new CliConsole(Console.Out, Console.Error, Interactive: !Console.IsOutputRedirected && !Console.IsErrorRedirected);
return await CliApplication.RunAsync(args, console, cancellation.Token);
