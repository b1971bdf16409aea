using Compliance.Core.Inventory;

namespace Compliance.Core.Scanning;

/// <summary>
/// The order a scan checks resources in. ARM limits writes (Run Command) per subscription and Compute per subscription
/// and region, so a scan that finished one subscription or region before starting the next would use one bucket at a
/// time and leave the others idle. Resources are taken in turn from each subscription and region instead, keeping
/// their listed order within each.
/// </summary>
public static class ScanOrder
{
    /// <summary>Interleaves <paramref name="resources"/> across their (subscription, region) groups.</summary>
    public static IReadOnlyList<InventoryResource> Interleave(IEnumerable<InventoryResource> resources)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var groups = resources
            .GroupBy(r => (Subscription: r.Id.SubscriptionId.ToUpperInvariant(), Region: r.Location.ToUpperInvariant()))
            .Select(g => g.ToList())
            .ToList();
        var total = groups.Sum(g => g.Count);
        var interleaved = new List<InventoryResource>(total);
        for (var i = 0; interleaved.Count < total; i++)
        {
            foreach (var group in groups.Where(g => i < g.Count))
            {
                interleaved.Add(group[i]);
            }
        }

        return interleaved;
    }
}
