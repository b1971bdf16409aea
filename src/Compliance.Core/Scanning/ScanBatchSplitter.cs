using Compliance.Core.Inventory;

namespace Compliance.Core.Scanning;

/// <summary>
/// Cuts a scan's resources into batches of at most <see cref="ScanOptions.BatchSize"/>, each of which fits one queue
/// message (<see cref="ScanBatchJson.MaxMessageBytes"/>): a batch of Cloud Services, whose configuration and Guest OS
/// catalogue travel with them, is cut shorter. A resource too large for any message on its own is set apart, to be
/// reported, rather than failing the scan.
/// </summary>
public static class ScanBatchSplitter
{
    /// <summary>The batches of <paramref name="resources"/>, in their order, and the resources too large to send.</summary>
    public static (IReadOnlyList<ScanBatch> Batches, IReadOnlyList<(InventoryResource Resource, int Size)> TooLarge) Split(
        string scanId,
        IReadOnlyList<InventoryResource> resources,
        int batchSize,
        int maxMessageBytes = ScanBatchJson.MaxMessageBytes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scanId);
        ArgumentNullException.ThrowIfNull(resources);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        // The envelope is measured with the largest index and count the scan can have, so it is never underestimated.
        var room = maxMessageBytes - ScanBatchJson.EnvelopeSize(scanId, Math.Max(resources.Count, 1));
        var chunks = new List<List<InventoryResource>>();
        var tooLarge = new List<(InventoryResource, int)>();
        var current = new List<InventoryResource>();
        var used = 0;
        foreach (var resource in resources)
        {
            var size = ScanBatchJson.Size(resource);
            if (size > room)
            {
                tooLarge.Add((resource, size));
                continue;
            }

            if (current.Count == batchSize || used + size > room)
            {
                chunks.Add(current);
                current = [];
                used = 0;
            }

            current.Add(resource);
            used += size;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        var batches = chunks.Select((chunk, index) => new ScanBatch(scanId, index, chunks.Count, chunk)).ToList();
        return (batches, tooLarge);
    }
}
