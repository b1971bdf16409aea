namespace Compliance.Core.Inventory;

/// <summary>A resource the inventory found and a scan judges.</summary>
/// <param name="Id">The ARM resource id.</param>
/// <param name="Kind">What kind of resource this is.</param>
/// <param name="Name">The resource name as ARM reports it.</param>
/// <param name="Location">The Azure region.</param>
/// <param name="Os">The guest OS as ARM reports it; <c>null</c> when ARM does not say (Cloud Services).</param>
/// <param name="Tags">The resource's tags.</param>
public abstract record InventoryResource(
    ResourceId Id,
    ResourceKind Kind,
    string Name,
    string Location,
    OsType? Os,
    IReadOnlyDictionary<string, string> Tags)
{
    /// <summary>Looks a tag up by name; ARM tag names are case-insensitive.</summary>
    public string? FindTag(string name)
    {
        foreach (var (key, value) in Tags)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }
}
