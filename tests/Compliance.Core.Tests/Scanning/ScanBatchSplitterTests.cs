using System.Text;
using Compliance.Core.Inventory;
using Compliance.Core.Scanning;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Scanning;

public sealed class ScanBatchSplitterTests
{
    private const string ScanId = "20261203T100000Z-0001";

    private static List<InventoryResource> Vms(int count) =>
        Enumerable.Range(0, count).Select(i => (InventoryResource)Resources.Vm($"vm-{i:D4}")).ToList();

    private static CloudService BigCloudService(int index, int releases) =>
        Resources.CloudService(
            Resources.Cscfg("7", "*"),
            catalogue: Enumerable.Range(0, releases).Select(r => new GuestOsRelease($"WA-GUEST-OS-7.{r}_202601-01", "7", false, true, $"Windows Azure Guest OS 7.{r} (Release 202601-01)")).ToList(),
            name: $"cs-{index:D3}");

    private static void AssertEveryMessageFits(IEnumerable<ScanBatch> batches, int limit)
    {
        foreach (var batch in batches)
        {
            Assert.True(Encoding.UTF8.GetByteCount(ScanBatchJson.Serialize(batch)) <= limit, $"batch {batch.Index} is too large");
        }
    }

    [Fact]
    public void Split_SmallResources_ByCount_InOrder_WithIndexAndCount()
    {
        var resources = Vms(7);

        var (batches, tooLarge) = ScanBatchSplitter.Split(ScanId, resources, batchSize: 3);

        Assert.Equal([3, 3, 1], batches.Select(b => b.Resources.Count));
        Assert.Equal([0, 1, 2], batches.Select(b => b.Index));
        Assert.All(batches, b => Assert.Equal(3, b.Count));
        Assert.All(batches, b => Assert.Equal(ScanId, b.ScanId));
        Assert.Equal(resources, batches.SelectMany(b => b.Resources));
        Assert.Empty(tooLarge);
    }

    [Fact]
    public void Split_CloudServicesWithLargeCatalogues_CutsBatchesShorterSoEachFitsAQueueMessage()
    {
        var resources = Enumerable.Range(0, 12).Select(i => (InventoryResource)BigCloudService(i, releases: 150)).ToList();

        var (batches, tooLarge) = ScanBatchSplitter.Split(ScanId, resources, batchSize: 100);

        Assert.True(batches.Count > 1);
        AssertEveryMessageFits(batches, ScanBatchJson.MaxMessageBytes);
        Assert.Equal(resources, batches.SelectMany(b => b.Resources));
        Assert.Empty(tooLarge);
    }

    [Fact]
    public void Split_AResourceTooLargeForAnyMessage_IsSetApart_AndTheOthersAreBatched()
    {
        var huge = BigCloudService(0, releases: 2_000);
        var resources = new List<InventoryResource> { Resources.Vm("vm-a"), huge, Resources.Vm("vm-b") };

        var (batches, tooLarge) = ScanBatchSplitter.Split(ScanId, resources, batchSize: 20);

        var (resource, size) = Assert.Single(tooLarge);
        Assert.Same(huge, resource);
        Assert.True(size > ScanBatchJson.MaxMessageBytes);
        Assert.Equal(["vm-a", "vm-b"], batches.SelectMany(b => b.Resources).Select(r => r.Name));
    }

    [Fact]
    public void Split_Nothing_NoBatches()
    {
        var (batches, tooLarge) = ScanBatchSplitter.Split(ScanId, [], batchSize: 20);

        Assert.Empty(batches);
        Assert.Empty(tooLarge);
    }

    [Theory]
    [InlineData(1_500, 50)]
    [InlineData(3_000, 7)]
    [InlineData(9_000, 500)]
    public void Split_MixedSizes_EveryMessageFitsItsLimit_AndNothingIsLostOrReordered(int limit, int batchSize)
    {
        var random = new Random(limit + batchSize);
        var resources = Enumerable.Range(0, 200)
            .Select(i => random.Next(4) == 0
                ? (InventoryResource)BigCloudService(i, releases: random.Next(0, 8))
                : Resources.Vm(new string('v', random.Next(1, 300)) + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();

        var (batches, tooLarge) = ScanBatchSplitter.Split(ScanId, resources, batchSize, limit);

        AssertEveryMessageFits(batches, limit);
        Assert.All(batches, b => Assert.InRange(b.Resources.Count, 1, batchSize));
        Assert.Equal(resources.Except(tooLarge.Select(t => t.Resource)), batches.SelectMany(b => b.Resources));
        Assert.All(tooLarge, t => Assert.True(t.Size > limit - ScanBatchJson.EnvelopeSize(ScanId, resources.Count)));
    }
}
