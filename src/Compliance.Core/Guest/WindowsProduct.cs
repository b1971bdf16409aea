namespace Compliance.Core.Guest;

/// <summary>The Windows product from <c>Win32_OperatingSystem</c> and the UBR registry value.</summary>
/// <param name="Caption">For example "Microsoft Windows Server 2016 Datacenter".</param>
/// <param name="Version">For example "10.0.14393".</param>
/// <param name="Ubr">The update build revision, when the OS has one.</param>
/// <param name="ProductType">1 workstation, 2 domain controller, 3 server.</param>
public sealed record WindowsProduct(string? Caption, string? Version, uint? Ubr, uint? ProductType)
{
    /// <summary>Whether this is a client edition (its guidance is KB4073119 rather than KB4072698).</summary>
    public bool IsWorkstation => ProductType == 1;
}
