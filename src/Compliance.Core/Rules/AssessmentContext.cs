using Compliance.Core.Guest;
using Compliance.Core.Inventory;

namespace Compliance.Core.Rules;

/// <summary>Everything the rules may look at for one resource.</summary>
/// <param name="Resource">The resource as the inventory saw it (machines with their instance view when read).</param>
/// <param name="Guest">The guest check's outcome; <c>null</c> for resources without a guest (Cloud Services).</param>
/// <param name="Untrusted">Whether and why the resource runs untrusted code.</param>
/// <param name="Options">The rule settings.</param>
public sealed record AssessmentContext(
    InventoryResource Resource,
    GuestCheckOutcome? Guest,
    UntrustedCode Untrusted,
    RulesOptions Options)
{
    /// <summary>The Windows report, when the guest produced one.</summary>
    public WindowsGuestReport? Windows => Guest?.Report as WindowsGuestReport;

    /// <summary>The Linux report, when the guest produced one.</summary>
    public LinuxGuestReport? Linux => Guest?.Report as LinuxGuestReport;

    /// <summary>
    /// Every vulnerabilities file of the Linux report, read clause by clause (in file-name order); empty when there is
    /// no Linux report or no vulnerabilities directory.
    /// </summary>
    public IReadOnlyList<LinuxStateReading> LinuxStates => Linux?.Vulnerabilities is { } files
        ? files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => LinuxStateClassifier.Read(f.Key, f.Value)).ToList()
        : [];

    /// <summary>The machine, when the resource is one.</summary>
    public Machine? Machine => Resource as Machine;

    /// <summary>The Cloud Service, when the resource is one.</summary>
    public CloudService? CloudService => Resource as CloudService;
}
