using System.Collections.ObjectModel;

namespace Compliance.Emulator;

/// <summary>
/// One Cloud Service (extended support) of the fleet (<c>subscriptions[].cloudServices[]</c>).
/// </summary>
public sealed record FleetCloudService
{
    /// <summary>The Cloud Service name, unique (case-insensitively) within its resource group.</summary>
    public required string Name { get; init; }

    /// <summary>The resource group that holds the Cloud Service.</summary>
    public required string ResourceGroup { get; init; }

    /// <summary>The Azure region; <c>westeurope</c> unless the file says otherwise.</summary>
    public string Location { get; init; } = "westeurope";

    /// <summary>The service configuration (<c>.cscfg</c> XML), served verbatim.</summary>
    public required string Configuration { get; init; }

    /// <summary>The resource tags.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = ReadOnlyDictionary<string, string>.Empty;

    /// <summary>The roles; when <see langword="null"/> they are derived from <see cref="Configuration"/>.</summary>
    public IReadOnlyList<FleetCloudServiceRole>? Roles { get; init; }
}
