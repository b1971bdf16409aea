using Compliance.Core.Inventory;

namespace Compliance.Core.Scanning;

/// <summary>A slice of a fanned-out scan: the resources one worker (one queue message) checks.</summary>
/// <param name="ScanId">The scan.</param>
/// <param name="Index">The batch's index, from 0.</param>
/// <param name="Count">How many batches the scan has.</param>
/// <param name="Resources">The resources, as the inventory listed them (no second read of ARM is needed).</param>
public sealed record ScanBatch(string ScanId, int Index, int Count, IReadOnlyList<InventoryResource> Resources);
