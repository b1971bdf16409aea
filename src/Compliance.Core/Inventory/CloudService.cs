namespace Compliance.Core.Inventory;

/// <summary>
/// A Cloud Service (extended support). ARM exposes no guest to run commands on; its Guest OS is chosen by the
/// <c>.cscfg</c> string in <see cref="Configuration"/>, so ARM reports no OS type for it.
/// </summary>
/// <param name="Id">The ARM resource id.</param>
/// <param name="Name">The Cloud Service name.</param>
/// <param name="Location">The Azure region.</param>
/// <param name="Tags">The Cloud Service's tags.</param>
/// <param name="Configuration">The <c>.cscfg</c> XML from <c>properties.configuration</c>.</param>
/// <param name="RoleInstanceCount">How many role instances ARM lists, when known.</param>
/// <param name="Catalogue">The Guest OS catalogue of the service's location (empty when unavailable).</param>
public sealed record CloudService(
    ResourceId Id,
    string Name,
    string Location,
    IReadOnlyDictionary<string, string> Tags,
    string? Configuration,
    int? RoleInstanceCount,
    IReadOnlyList<GuestOsRelease> Catalogue)
    : InventoryResource(Id, ResourceKind.CloudService, Name, Location, null, Tags);
