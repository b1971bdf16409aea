using System.Text.Json;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using NSubstitute;

namespace Compliance.Core.Tests.Scanning;

/// <summary>The first half of a fanned-out scan: the scope in batches of the configured size, and the scan recorded as started.</summary>
public sealed class ScanPlannerTests
{
    [Theory]
    [InlineData(7, 3, new[] { 3, 3, 1 })]
    [InlineData(6, 3, new[] { 3, 3 })]
    [InlineData(1, 3, new[] { 1 })]
    [InlineData(5, 20, new[] { 5 })]
    [InlineData(4, 1, new[] { 1, 1, 1, 1 })]
    public async Task PlanAsync_SplitsTheScopeIntoBatchesOfBatchSize(int machines, int batchSize, int[] sizes)
    {
        var harness = new FanOutHarness(batchSize);
        harness.Fleet(machines, _ => FanOutHarness.Patched);

        var plan = await harness.PlanAsync();

        Assert.Equal(sizes, plan.Batches.Select(b => b.Resources.Count));
        Assert.Equal(Enumerable.Range(0, sizes.Length), plan.Batches.Select(b => b.Index));
        Assert.All(plan.Batches, b => Assert.Equal(sizes.Length, b.Count));
        Assert.All(plan.Batches, b => Assert.Equal(plan.ScanId, b.ScanId));
        Assert.Equal(harness.Listed.Select(r => r.Id), plan.Batches.SelectMany(b => b.Resources).Select(r => r.Id));
        Assert.Equal(harness.Time.GetUtcNow(), plan.StartedAt);
        Assert.Empty(plan.Errors);
    }

    [Fact]
    public async Task PlanAsync_DoesNotCheckAnything()
    {
        var harness = new FanOutHarness(3);
        harness.Fleet(5, _ => FanOutHarness.Patched);

        await harness.PlanAsync();

        await harness.Runner.DidNotReceiveWithAnyArgs().RunAsync(default!, default!, default);
        await harness.Inventory.DidNotReceiveWithAnyArgs().GetInstanceViewAsync(default!, default);
        Assert.Empty(harness.Verdicts.States);
        Assert.Equal(0, harness.Sink.Calls);
    }

    [Fact]
    public async Task PlanAsync_RecordsTheScanAsStarted()
    {
        var harness = new FanOutHarness(3);
        harness.Fleet(5, _ => FanOutHarness.Patched);

        var plan = await harness.PlanAsync();

        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.NotNull(scan);
        Assert.Equal(plan.ScanId, scan.ScanId);
        Assert.Equal(harness.Time.GetUtcNow(), scan.StartedAt);
        Assert.Null(scan.CompletedAt);
        Assert.Equal(0, scan.Recorded);
        Assert.Equal(0, scan.Stale);
        Assert.Equal(0, scan.Summary.Total);
        Assert.Empty(scan.Errors);
        Assert.Null(scan.Digest);
        Assert.Null(await harness.Ledger.GetSummaryAsync(CancellationToken.None));
    }

    [Fact]
    public async Task PlanAsync_ChosenScanId_IsUsedForTheScanAndEveryBatch()
    {
        var harness = new FanOutHarness(2);
        harness.Fleet(3, _ => FanOutHarness.Patched);

        var plan = await harness.PlanAsync(new ScanRequest([]) { ScanId = "on-demand-1" });

        Assert.Equal("on-demand-1", plan.ScanId);
        Assert.Equal(["on-demand-1", "on-demand-1"], plan.Batches.Select(b => b.ScanId));
        Assert.NotNull(await harness.Ledger.GetScanAsync("on-demand-1", CancellationToken.None));
    }

    [Fact]
    public async Task PlanAsync_NoScanIdChosen_MakesOneFromTheStartTime()
    {
        var harness = new FanOutHarness(2);
        harness.Fleet(1, _ => FanOutHarness.Patched);

        var plan = await harness.PlanAsync();

        Assert.Matches("^20261121T100000Z-[0-9a-f]{8}$", plan.ScanId);
    }

    [Fact]
    public async Task PlanAsync_RequestedSubscriptions_WinOverTheConfiguredOnes()
    {
        const string Other = "22222222-2222-2222-2222-222222222222";
        var harness = new FanOutHarness(10);
        harness.Fleet(3, _ => FanOutHarness.Patched);
        harness.Inventory.GetResourcesAsync(Other, Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream<InventoryResource>([Resources.CloudService(null, name: "cs-other")]));

        var plan = await harness.PlanAsync(new ScanRequest([Other, Other.ToUpperInvariant()]));

        var batch = Assert.Single(plan.Batches);
        Assert.Equal(["cs-other"], batch.Resources.Select(r => r.Name));
    }

    [Fact]
    public async Task PlanAsync_EmptyScope_FinishesTheScanAtOnceWithADigest()
    {
        var harness = new FanOutHarness(3);
        harness.ScanOptions.Subscriptions = null;
        harness.Inventory.GetSubscriptionsAsync(Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream<SubscriptionInfo>([]));

        var plan = await harness.PlanAsync();

        Assert.Empty(plan.Batches);
        Assert.Empty(plan.Errors);
        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.NotNull(scan);
        Assert.Equal(harness.Time.GetUtcNow(), scan.StartedAt);
        Assert.Equal(harness.Time.GetUtcNow(), scan.CompletedAt);
        Assert.Equal(0, scan.Recorded);
        Assert.Equal(0, scan.Summary.Total);
        // Finished, its digest went out at once.
        Assert.Null(scan.Digest);
        Assert.Equal($"/scans/{plan.ScanId}", Assert.Single(harness.Received(NotificationTypes.ScanCompleted)).Subject);
        Assert.Equal(plan.ScanId, (await harness.Ledger.GetSummaryAsync(CancellationToken.None))!.Value.ScanId);
        Assert.False(await harness.Ledger.TryFinishScanAsync(scan with { Recorded = 99 }, CancellationToken.None));
    }

    [Fact]
    public async Task PlanAsync_SubscriptionWithoutResources_FinishesAtOnce_NoDigestWithoutSinks()
    {
        var harness = new FanOutHarness(3, withSink: false);

        var plan = await harness.PlanAsync();

        Assert.Empty(plan.Batches);
        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(harness.Time.GetUtcNow(), scan!.CompletedAt);
        Assert.Null(scan.Digest);
    }

    [Fact]
    public async Task PlanAsync_EmptyScope_SummaryCountsTheStoredFleet()
    {
        var harness = new FanOutHarness(3);
        harness.Fleet(2, i => i == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);
        var first = await harness.PlanAsync();
        foreach (var batch in first.Batches)
        {
            await harness.BatchRunner().RunAsync(batch, CancellationToken.None);
        }

        harness.Inventory.GetResourcesAsync(Resources.Subscription, Arg.Any<CancellationToken>()).Returns(_ => FanOutHarness.Stream<InventoryResource>([]));
        harness.Time.Advance(TimeSpan.FromHours(6));
        var plan = await harness.PlanAsync();

        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(new[] { 2, 1, 1 }, new[] { scan!.Summary.Total, scan.Summary.Compliant, scan.Summary.ActionRequired });
    }

    [Fact]
    public async Task PlanAsync_InventoryFailsPartWay_PlansWhatWasListedAndRecordsTheError()
    {
        var harness = new FanOutHarness(2);
        var listed = new InventoryResource[] { Resources.Vm("a"), Resources.Vm("b"), Resources.Vm("c") };
        harness.Inventory.GetResourcesAsync(Resources.Subscription, Arg.Any<CancellationToken>())
            .Returns(_ => FanOutHarness.Stream(listed, new HttpRequestException("ARM said 500\nand a body")));

        var plan = await harness.PlanAsync();

        Assert.Equal(["a", "b", "c"], plan.Batches.SelectMany(b => b.Resources).Select(r => r.Name));
        Assert.Equal([2, 1], plan.Batches.Select(b => b.Resources.Count));
        var error = Assert.Single(plan.Errors);
        Assert.Equal(new ScanError(Resources.Subscription, "HttpRequestException: ARM said 500"), error);
        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal([new ReportError(Resources.Subscription, "HttpRequestException: ARM said 500")], scan!.Errors);
        Assert.Null(scan.CompletedAt);
    }

    [Fact]
    public async Task PlanAsync_SubscriptionListFails_FinishesWithTheErrorInTheDigest()
    {
        var harness = new FanOutHarness(3);
        harness.ScanOptions.Subscriptions = null;
        harness.Inventory.GetSubscriptionsAsync(Arg.Any<CancellationToken>())
            .Returns(_ => FanOutHarness.Stream<SubscriptionInfo>([], new HttpRequestException("forbidden")));

        var plan = await harness.PlanAsync();

        Assert.Empty(plan.Batches);
        Assert.Equal([new ScanError("subscriptions", "HttpRequestException: forbidden")], plan.Errors);
        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(harness.Time.GetUtcNow(), scan!.CompletedAt);
        Assert.Equal([new ReportError("subscriptions", "HttpRequestException: forbidden")], scan.Errors);
        using var data = JsonDocument.Parse(Assert.Single(harness.Received(NotificationTypes.ScanCompleted)).DataJson);
        Assert.Equal("HttpRequestException: forbidden", data.RootElement.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal(1, data.RootElement.GetProperty("errorCount").GetInt32());
        Assert.Equal("Completed", data.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task PlanAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => new FanOutHarness(3).Planner().PlanAsync(null!, CancellationToken.None));

    [Fact]
    public async Task PlanAsync_CancelledWhileListing_Throws()
    {
        var harness = new FanOutHarness(3);
        harness.Fleet(5, _ => FanOutHarness.Patched);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.Planner().PlanAsync(new ScanRequest([]), cancelled.Token));

        Assert.Empty(await harness.Ledger.GetScansAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task PlanAsync_SkipCompliantFor_LeavesOutFreshCompliantMachinesOnly()
    {
        // vm-000 and vm-003 need a guest update; the others are compliant.
        var harness = new FanOutHarness(batchSize: 10);
        harness.Fleet(5, i => i % 3 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);
        var first = await harness.PlanAsync();
        await harness.BatchRunner().RunAsync(first.Batches[0], CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromHours(6));
        harness.ScanOptions.SkipCompliantFor = TimeSpan.FromDays(1);

        var fresh = await harness.PlanAsync();

        Assert.Equal(3, fresh.Skipped);
        Assert.Equal(["vm-000", "vm-003"], fresh.Batches.SelectMany(b => b.Resources).Select(r => r.Name).Order());

        // Verdicts older than the setting are checked again.
        harness.Time.Advance(TimeSpan.FromDays(1));
        var stale = await harness.PlanAsync();
        Assert.Equal(0, stale.Skipped);
        Assert.Equal(5, stale.Batches.Sum(b => b.Resources.Count));
    }

    [Fact]
    public async Task PlanAsync_TwoThousandUnknownSubscriptions_RecordsTheScanWithABoundedErrorListAndTheirCount()
    {
        var harness = new FanOutHarness(3);
        var subscriptions = Enumerable.Range(0, 2_000).Select(i => new Guid(i, 0, 0, new byte[8]).ToString()).ToList();
        harness.Inventory.GetResourcesAsync(Arg.Any<string>(), Arg.Any<CancellationToken>())
            .Returns(call => FanOutHarness.Stream<InventoryResource>([], new HttpRequestException($"SubscriptionNotFound: {call.Arg<string>()} could not be found")));

        var plan = await harness.PlanAsync(new ScanRequest(subscriptions));

        Assert.Equal(2_000, plan.Errors.Count);
        var scan = (await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!;
        Assert.Equal(ScanStatus.Completed, scan.Status);
        Assert.Equal(2_000, scan.ErrorCount);
        Assert.Equal(ScanErrors.MaxKept, scan.Errors.Count);
        using var digest = JsonDocument.Parse(Assert.Single(harness.Received(NotificationTypes.ScanCompleted)).DataJson);
        Assert.Equal(2_000, digest.RootElement.GetProperty("errorCount").GetInt32());
        Assert.Equal(ScanErrors.MaxKept, digest.RootElement.GetProperty("errors").GetArrayLength());
    }

    [Fact]
    public async Task PlanAsync_RecordsHowManyBatchesAndWhenTheyWerePlanned()
    {
        var harness = new FanOutHarness(3);
        harness.Fleet(7, _ => FanOutHarness.Patched);

        var plan = await harness.PlanAsync();

        var scan = (await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!;
        Assert.Equal(3, scan.Batches);
        Assert.Equal(harness.Time.GetUtcNow(), scan.PlannedAt);
        Assert.Equal(ScanStatus.Running, scan.Status);
    }
}
