using Microsoft.Extensions.Hosting;

namespace Compliance.Emulator;

/// <summary>
/// A host lifetime that leaves Ctrl+C and SIGTERM to the process that embeds the emulator;
/// the default console lifetime would take them over and stop the emulator on its own.
/// </summary>
internal sealed class QuietHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
