using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>The port that runs the fixed guest script on a machine (Run Command on Azure).</summary>
public interface IGuestCommandRunner
{
    /// <summary>
    /// Runs <paramref name="script"/> on <paramref name="machine"/>. Expected failures (agent not ready, another
    /// command in progress after the retries, platform errors) are returned as <see cref="GuestCommandResult.Failure"/>.
    /// </summary>
    Task<GuestCommandResult> RunAsync(Machine machine, GuestScript script, CancellationToken cancellationToken);
}
