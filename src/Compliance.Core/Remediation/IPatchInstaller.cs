using Compliance.Core.Inventory;

namespace Compliance.Core.Remediation;

/// <summary>The port to Azure's own patch installation (<c>installPatches</c> on a VM).</summary>
public interface IPatchInstaller
{
    /// <summary>
    /// Installs <paramref name="request"/> on <paramref name="machine"/> and waits for Azure's result. Expected failures
    /// (refused, throttled beyond the retries, the operation failed) are returned as a <c>Failed</c> result, not thrown.
    /// </summary>
    Task<PatchInstallationResult> InstallAsync(Machine machine, PatchInstallation request, CancellationToken cancellationToken);
}
