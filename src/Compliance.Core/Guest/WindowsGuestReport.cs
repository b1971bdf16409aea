using Compliance.Core.Inventory;

namespace Compliance.Core.Guest;

/// <summary>A Windows guest's report: kernel speculation-control state, registry, roles, product and CPU.</summary>
public sealed record WindowsGuestReport(
    WindowsProduct? Product,
    CpuInfo? Cpu,
    KernelQuery SpeculationControl,
    KernelQuery KvaShadow,
    WindowsRegistry Registry,
    IReadOnlyList<string> Features,
    DateTimeOffset? LastBootUtc)
    : GuestReport(OsType.Windows, LastBootUtc);
