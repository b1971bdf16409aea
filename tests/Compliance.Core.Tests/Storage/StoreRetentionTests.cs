using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Storage;

/// <summary>Bookkeeping rows older than the retention period go; the rest, and the scans themselves, stay.</summary>
public sealed class StoreRetentionTests
{
    [Fact]
    public async Task Prune_RemovesEventsBatchResultsAndLeasesOlderThanTheRetention()
    {
        var harness = new FanOutHarness(batchSize: 3);
        var now = harness.Time.GetUtcNow();
        var old = now - TimeSpan.FromDays(31);
        await harness.Inbox.MarkEventHandledAsync("old", old, CancellationToken.None);
        await harness.Inbox.MarkEventHandledAsync("recent", now - TimeSpan.FromDays(29), CancellationToken.None);
        await harness.Ledger.SaveBatchResultAsync("scan-old", 0, new BatchResult(RecordOutcome.None, old), CancellationToken.None);
        await harness.Ledger.SaveBatchResultAsync("scan-new", 0, new BatchResult(RecordOutcome.None, now), CancellationToken.None);
        await harness.Leases.TryAcquireLeaseAsync("stale", old, old + TimeSpan.FromMinutes(1), CancellationToken.None);

        var (events, batches, leases) = await harness.Retention().PruneAsync(CancellationToken.None);

        Assert.Equal((1, 1, 1), (events, batches, leases));
        Assert.False(await harness.Inbox.IsEventHandledAsync("old", CancellationToken.None));
        Assert.True(await harness.Inbox.IsEventHandledAsync("recent", CancellationToken.None));
        Assert.Empty(await harness.Ledger.GetBatchResultsAsync("scan-old", CancellationToken.None));
        Assert.Single(await harness.Ledger.GetBatchResultsAsync("scan-new", CancellationToken.None));
    }

    [Fact]
    public async Task Prune_FollowsTheSetting()
    {
        var harness = new FanOutHarness(batchSize: 3);
        harness.ScanOptions.Retention = TimeSpan.FromDays(2);
        await harness.Inbox.MarkEventHandledAsync("three-days", harness.Time.GetUtcNow() - TimeSpan.FromDays(3), CancellationToken.None);

        var (events, _, _) = await harness.Retention().PruneAsync(CancellationToken.None);

        Assert.Equal(1, events);
    }
}
