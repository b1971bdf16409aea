namespace Compliance.Emulator;

/// <summary>
/// The marketplace image reference of an emulated machine (<c>image</c> in the fleet file).
/// </summary>
public sealed record FleetImage
{
    /// <summary>The image publisher, e.g. <c>MicrosoftWindowsServer</c>.</summary>
    public required string Publisher { get; init; }

    /// <summary>The image offer, e.g. <c>WindowsServer</c>.</summary>
    public required string Offer { get; init; }

    /// <summary>The image SKU, e.g. <c>2016-Datacenter</c>.</summary>
    public required string Sku { get; init; }

    /// <summary>The image version; <c>latest</c> unless the file says otherwise.</summary>
    public string Version { get; init; } = "latest";

    /// <summary>The image served for machines whose fleet entry has none.</summary>
    internal static FleetImage DefaultFor(FleetOsType osType) => osType == FleetOsType.Windows
        ? new FleetImage { Publisher = "MicrosoftWindowsServer", Offer = "WindowsServer", Sku = "2019-Datacenter" }
        : new FleetImage { Publisher = "Canonical", Offer = "UbuntuServer", Sku = "18.04-LTS" };
}
