using Compliance.Core.Inventory;

namespace Compliance.Core.Remediation;

/// <summary>
/// The port to Azure's restart of a machine (<c>restart</c> on a VM or a scale-set VM), for a remediation whose plan
/// allows the restart its setting needs.
/// </summary>
public interface IMachineRestarter
{
    /// <summary>
    /// Restarts <paramref name="machine"/> and waits for Azure to finish. <c>null</c> when it did; otherwise why not,
    /// as one line (refused, throttled beyond the retries, the operation failed), never thrown.
    /// </summary>
    Task<string?> RestartAsync(Machine machine, CancellationToken cancellationToken);
}
