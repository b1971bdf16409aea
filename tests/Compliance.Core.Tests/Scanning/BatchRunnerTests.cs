using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using NSubstitute;

namespace Compliance.Core.Tests.Scanning;

/// <summary>The second half of a fanned-out scan: each batch stored, and the scan finished exactly once, whatever the order or retries.</summary>
public sealed class BatchRunnerTests
{
    // Seven machines in batches of three; vm-000, vm-003 and vm-006 need a guest update.
    private readonly FanOutHarness _harness = new(batchSize: 3);

    public BatchRunnerTests() => _harness.Fleet(7, i => i % 3 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);

    private async Task<ScanPlan> PlanAsync()
    {
        var plan = await _harness.PlanAsync();
        Assert.Equal(3, plan.Batches.Count);
        _harness.Time.Advance(TimeSpan.FromMinutes(10));
        return plan;
    }

    private Task<BatchOutcome> RunAsync(ScanBatch batch) => _harness.BatchRunner().RunAsync(batch, CancellationToken.None);

    [Fact]
    public async Task RunAsync_AllBatchesInOrder_OnlyTheLastFinishesTheScan()
    {
        var plan = await PlanAsync();

        var outcomes = new List<BatchOutcome>();
        foreach (var batch in plan.Batches)
        {
            outcomes.Add(await RunAsync(batch));
        }

        Assert.Equal([false, false, true], outcomes.Select(o => o.FinishedScan));
        Assert.Equal([3, 3, 1], outcomes.Select(o => o.Recorded.Recorded));
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.NotNull(scan);
        Assert.Equal(plan.StartedAt, scan.StartedAt);
        Assert.Equal(_harness.Time.GetUtcNow(), scan.CompletedAt);
        Assert.Equal(7, scan.Recorded);
        Assert.Equal(0, scan.Stale);
        Assert.Equal(new[] { 7, 4, 3, 0 }, new[] { scan.Summary.Total, scan.Summary.Compliant, scan.Summary.ActionRequired, scan.Summary.Unknown });
        Assert.Empty(scan.Errors);
        Assert.Equal(plan.ScanId, (await _harness.Ledger.GetSummaryAsync(CancellationToken.None))!.Value.ScanId);
        Assert.Equal(7, _harness.Verdicts.States.Count);
        Assert.All(_harness.Verdicts.States, s => Assert.Equal(plan.ScanId, s.State.ScanId));
    }

    [Fact]
    public async Task RunAsync_LastBatch_DeliversOneDigestWithTheSummedCounts()
    {
        var plan = await PlanAsync();

        foreach (var batch in plan.Batches)
        {
            await RunAsync(batch);
        }

        var digest = Assert.Single(_harness.Received(NotificationTypes.ScanCompleted));
        Assert.Equal($"/scans/{plan.ScanId}", digest.Subject);
        Assert.Contains("\"recorded\":7", digest.DataJson, StringComparison.Ordinal);
        Assert.Equal(3, _harness.Received(NotificationTypes.GuestUpdateRequired).Count);
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Null(scan!.Digest);
        Assert.NotNull(scan.CompletedAt);
    }

    [Fact]
    public async Task RunAsync_EachBatch_JudgesItsResourcesInOrderAndQueuesTheirNotificationsForTheLastBatch()
    {
        var plan = await PlanAsync();

        var outcome = await RunAsync(plan.Batches[1]);

        Assert.Equal(["vm-003", "vm-004", "vm-005"], outcome.Assessments.Select(a => a.Resource.Name));
        Assert.Equal([ComplianceStatus.ActionRequired, ComplianceStatus.Compliant, ComplianceStatus.Compliant], outcome.Assessments.Select(a => a.Status));
        Assert.Equal(new RecordOutcome(3, 0, 0, 3, 1), outcome.Recorded);
        Assert.Equal(new DispatchOutcome(0, 0), outcome.Dispatched);
        Assert.False(outcome.FinishedScan);
        Assert.Empty(_harness.Received(NotificationTypes.GuestUpdateRequired));
        Assert.EndsWith("/vm-003", Assert.Single(_harness.Verdicts.States.SelectMany(s => s.State.Outbox)).Message.Subject, StringComparison.Ordinal);
        Assert.Equal([1], (await _harness.Ledger.GetBatchResultsAsync(plan.ScanId, CancellationToken.None)).Keys);
        Assert.Null((await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!.CompletedAt);

        foreach (var batch in plan.Batches.Where(b => b.Index != 1))
        {
            await RunAsync(batch);
        }

        Assert.Single(_harness.Received(NotificationTypes.GuestUpdateRequired), m => m.Subject.EndsWith("/vm-003", StringComparison.Ordinal));
        Assert.Empty(_harness.Verdicts.States.SelectMany(s => s.State.Outbox));
    }

    [Fact]
    public async Task RunAsync_LastBatchAgain_DoesNotFinishTheScanASecondTime()
    {
        var plan = await PlanAsync();
        foreach (var batch in plan.Batches)
        {
            await RunAsync(batch);
        }

        var first = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        var retry = await RunAsync(plan.Batches[^1]);

        Assert.False(retry.FinishedScan);
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(first!.CompletedAt, scan!.CompletedAt);
        Assert.Equal(7, scan.Recorded);
        Assert.Single(_harness.Received(NotificationTypes.ScanCompleted));
        Assert.Single(await _harness.Ledger.GetScansAsync(CancellationToken.None).ToListAsync());
    }

    [Theory]
    [InlineData(new[] { 2, 0, 1 })]
    [InlineData(new[] { 1, 2, 0 })]
    [InlineData(new[] { 2, 1, 0 })]
    public async Task RunAsync_BatchesInAnyOrder_FinishTheScanExactlyOnce(int[] order)
    {
        var plan = await PlanAsync();

        var finished = new List<bool>();
        foreach (var index in order)
        {
            finished.Add((await RunAsync(plan.Batches[index])).FinishedScan);
        }

        Assert.Equal([false, false, true], finished);
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(7, scan!.Recorded);
        Assert.Single(_harness.Received(NotificationTypes.ScanCompleted));
    }

    [Fact]
    public async Task RunAsync_BatchesAtTheSameTime_FinishTheScanExactlyOnce()
    {
        var plan = await PlanAsync();

        var outcomes = await Task.WhenAll(plan.Batches.Select(b => Task.Run(() => RunAsync(b))));

        Assert.Single(outcomes, o => o.FinishedScan);
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.NotNull(scan!.CompletedAt);
        Assert.Equal(7, scan.Recorded);
        Assert.Equal(7, scan.Summary.Total);
        // Dispatchers running side by side may deliver a message twice (at least once), always with the same id.
        Assert.Single(_harness.Received(NotificationTypes.ScanCompleted).Select(m => m.Id).Distinct());
        Assert.Equal(3, _harness.Received(NotificationTypes.GuestUpdateRequired).Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_AnEarlierBatchRetried_ResumesWithoutCheckingAgain()
    {
        var plan = await PlanAsync();

        var first = await RunAsync(plan.Batches[0]);
        _harness.Time.Advance(TimeSpan.FromMinutes(1));
        var retried = await RunAsync(plan.Batches[0]);
        var second = await RunAsync(plan.Batches[1]);
        var last = await RunAsync(plan.Batches[2]);

        Assert.Equal([false, false, false, true], new[] { first, retried, second, last }.Select(o => o.FinishedScan));
        Assert.Equal(3, (await _harness.Ledger.GetBatchResultsAsync(plan.ScanId, CancellationToken.None)).Count);
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(7, scan!.Recorded);
        // The batch was done: the retry checks nothing and reports what the batch recorded the first time.
        Assert.Empty(retried.Assessments);
        Assert.Equal(first.Recorded, retried.Recorded);
        Assert.Single(_harness.Verdicts.History, h => h.ResourceId.EndsWith("/vm-000", StringComparison.Ordinal));
        Assert.Single(_harness.Received(NotificationTypes.GuestUpdateRequired), m => m.Subject.EndsWith("/vm-000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_BatchDiedAfterStoringSomeVerdicts_ChecksOnlyTheRest()
    {
        var plan = await PlanAsync();
        var batch = plan.Batches[0];
        // As if the invocation stored the first machine's verdict and died before the batch was recorded as done.
        var judged = await _harness.Scanner().JudgeAsync(batch.Resources[0], CancellationToken.None);
        await _harness.Recorder().RecordAsync([judged], plan.ScanId, CancellationToken.None);

        var resumed = await RunAsync(batch);

        Assert.Equal(batch.Resources.Skip(1).Select(r => r.Id), resumed.Assessments.Select(a => a.ResourceId));
        // The verdict stored before the failure still counts for the batch, so the scan's total is whole.
        Assert.Equal(batch.Resources.Count, resumed.Recorded.Recorded);
    }

    [Fact]
    public async Task RunAsync_OutOfTime_StoresWhatItJudgedAndTheNextDeliveryChecksOnlyTheRest()
    {
        var plan = await PlanAsync();
        var batch = plan.Batches[0];
        _harness.ScanOptions.BatchTimeBudget = TimeSpan.FromSeconds(1);
        var slow = batch.Resources[1].Name;
        var checkedMachines = new System.Collections.Concurrent.ConcurrentBag<string>();
        var allCalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var machine = call.Arg<Machine>();
            checkedMachines.Add(machine.Name);
            if (checkedMachines.Count == batch.Resources.Count)
            {
                allCalled.TrySetResult();
            }

            if (machine.Name == slow && checkedMachines.Count(n => n == slow) == 1)
            {
                // A guest that does not answer within this delivery's budget: once the other machines are under way,
                // the budget passes while it waits.
                await allCalled.Task;
                _harness.Time.Advance(_harness.ScanOptions.BatchTimeBudget);
                await Task.Delay(Timeout.Infinite, call.Arg<CancellationToken>());
            }

            return GuestCommandResult.Completed(FanOutHarness.Patched, null);
        });

        var incomplete = await Assert.ThrowsAsync<ScanBatchIncompleteException>(() => RunAsync(batch));

        Assert.Equal((batch.Resources.Count - 1, batch.Resources.Count), (incomplete.Judged, incomplete.Pending));
        Assert.Equal(batch.Resources.Count - 1, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
        Assert.Equal(BatchState.Partial, Assert.Single(await _harness.Ledger.GetBatchResultsAsync(plan.ScanId, CancellationToken.None)).Value.State);

        var resumed = await RunAsync(batch);

        Assert.Equal([batch.Resources[1].Id], resumed.Assessments.Select(a => a.ResourceId));
        Assert.Equal(batch.Resources.Count, resumed.Recorded.Recorded);
    }

    [Fact]
    public async Task RunAsync_FinishedScanKeepsThePlansErrors()
    {
        _harness.Inventory.GetResourcesAsync(Resources.Subscription, Arg.Any<CancellationToken>())
            .Returns(_ => FanOutHarness.Stream(_harness.Listed.Take(4), new HttpRequestException("throttled")));
        var plan = await _harness.PlanAsync();

        foreach (var batch in plan.Batches)
        {
            await RunAsync(batch);
        }

        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.NotNull(scan!.CompletedAt);
        Assert.Equal(4, scan.Recorded);
        Assert.Equal([new ReportError(Resources.Subscription, "HttpRequestException: throttled")], scan.Errors);
        Assert.Contains("throttled", Assert.Single(_harness.Received(NotificationTypes.ScanCompleted)).DataJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WithoutSinks_FinishesWithoutADigest()
    {
        var harness = new FanOutHarness(batchSize: 2, withSink: false);
        harness.Fleet(3, _ => FanOutHarness.Unpatched);
        var plan = await harness.PlanAsync();

        var outcomes = new List<BatchOutcome>();
        foreach (var batch in plan.Batches)
        {
            outcomes.Add(await harness.BatchRunner().RunAsync(batch, CancellationToken.None));
        }

        Assert.Equal([false, true], outcomes.Select(o => o.FinishedScan));
        var scan = await harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Null(scan!.Digest);
        Assert.Equal(3, scan.Recorded);
        Assert.All(outcomes, o => Assert.Equal(0, o.Recorded.Notifications));
        Assert.Equal(0, harness.Sink.Calls);
    }

    [Fact]
    public async Task RunAsync_ScanNeverRecordedAsStarted_StillFinishesOnce()
    {
        var batch = new ScanBatch("lost-start", 0, 1, [_harness.Listed[1]]);

        var outcome = await RunAsync(batch);
        var again = await RunAsync(batch);

        Assert.True(outcome.FinishedScan);
        Assert.False(again.FinishedScan);
        var scan = await _harness.Ledger.GetScanAsync("lost-start", CancellationToken.None);
        Assert.Equal(_harness.Time.GetUtcNow(), scan!.StartedAt);
        Assert.Equal(_harness.Time.GetUtcNow(), scan.CompletedAt);
        Assert.Equal(1, scan.Recorded);
    }

    [Fact]
    public async Task RunAsync_ChecksAtMostMaxConcurrencyMachinesAtOnce()
    {
        var harness = new FanOutHarness(batchSize: 12);
        harness.ScanOptions.MaxConcurrency = 2;
        harness.Fleet(12, _ => FanOutHarness.Patched);
        int running = 0, peak = 0;
        harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref peak, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref running);
            return GuestCommandResult.Completed(FanOutHarness.Patched, null);
        });
        var plan = await harness.PlanAsync();

        var outcome = await harness.BatchRunner().RunAsync(Assert.Single(plan.Batches), CancellationToken.None);

        Assert.Equal(12, outcome.Assessments.Count);
        Assert.All(outcome.Assessments, a => Assert.Equal(ComplianceStatus.Compliant, a.Status));
        Assert.InRange(peak, 1, 2);
    }

    [Fact]
    public async Task RunAsync_Null_Throws() =>
        await Assert.ThrowsAsync<ArgumentNullException>(() => _harness.BatchRunner().RunAsync(null!, CancellationToken.None));

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
