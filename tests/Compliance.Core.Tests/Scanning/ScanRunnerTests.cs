using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using NSubstitute;

namespace Compliance.Core.Tests.Scanning;

/// <summary>
/// A scan run from start to finish in one process through the pipeline (as the CLI runs it): transitions are published
/// once, across scans and across a run that died; the report and the record say what happened.
/// </summary>
public sealed class ScanRunnerTests
{
    private readonly FanOutHarness _harness = new(batchSize: 8);

    private Task<ScanResult> ScanAsync(CancellationToken cancellationToken = default) =>
        _harness.ScanRunner().RunAsync(new ScanRequest([Resources.Subscription]), null, cancellationToken);

    private List<NotificationMessage> Received(string type) => _harness.Received(type);

    [Fact]
    public async Task RunAsync_TwoScansOfAnUnchangedFleet_PublishEachTransitionOnce()
    {
        _harness.Fleet(10, i => i % 3 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);

        await ScanAsync();
        _harness.Time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        Assert.Equal(4, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(2, Received(NotificationTypes.ScanCompleted).Count);
        Assert.Empty(Received(NotificationTypes.ActionResolved));
        Assert.Equal(_harness.Sink.Received.Count, _harness.Sink.Received.Select(m => m.Id).Distinct().Count());
        Assert.Equal(10, _harness.Verdicts.States.Count);
        Assert.Equal(10, _harness.Verdicts.History.Count);
        var summary = await _harness.Ledger.GetSummaryAsync(CancellationToken.None);
        Assert.Equal(4, summary!.Value.Summary.ActionRequired);
        Assert.Equal(6, summary.Value.Summary.Compliant);
    }

    [Fact]
    public async Task RunAsync_MachineBreaksThenIsFixed_OneRequiredThenOneResolved()
    {
        _harness.Fleet(5, _ => FanOutHarness.Patched);
        await ScanAsync();

        _harness.Guest("vm-002", FanOutHarness.Unpatched);
        _harness.Time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();
        _harness.Time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        var required = Assert.Single(Received(NotificationTypes.GuestUpdateRequired));
        Assert.EndsWith("/vm-002", required.Subject, StringComparison.Ordinal);

        _harness.Guest("vm-002", FanOutHarness.Patched);
        _harness.Time.Advance(TimeSpan.FromHours(6));
        await ScanAsync();

        var resolved = Assert.Single(Received(NotificationTypes.ActionResolved));
        Assert.Equal(required.Subject, resolved.Subject);
        var history = await _harness.Verdicts.GetHistoryAsync(required.Subject, CancellationToken.None).ToListAsync();
        Assert.Equal(["Compliant", "ActionRequired", "Compliant"], history.Select(h => h.ToStatus).Reverse());
    }

    [Fact]
    public async Task RunAsync_SinkDown_NotificationsDeliveredByTheNextScan()
    {
        _harness.Fleet(3, _ => FanOutHarness.Unpatched);
        _harness.Sink.Failing = true;
        var first = await ScanAsync();

        Assert.Equal(3, _harness.Verdicts.States.Sum(s => s.State.Outbox.Count));
        Assert.NotNull((await _harness.Ledger.GetScanAsync(first.Scan.ScanId, CancellationToken.None))!.Digest);
        _harness.Sink.Failing = false;
        _harness.Time.Advance(TimeSpan.FromHours(1));
        await ScanAsync();

        Assert.Equal(3, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(2, Received(NotificationTypes.ScanCompleted).Count);
        Assert.Equal(_harness.Sink.Received.Count, _harness.Sink.Received.Select(m => m.Id).Distinct().Count());
    }

    [Fact]
    public async Task RunAsync_KilledHalfWayAndRunAgain_NothingLostNothingDuplicatedNothingSentTwice_AndTheFirstScanEndsToo()
    {
        _harness.Fleet(250, i => i % 2 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);
        using var kill = new CancellationTokenSource();
        var calls = 0;
        _harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            if (Interlocked.Increment(ref calls) == 160)
            {
                kill.Cancel();
            }

            return GuestCommandResult.Completed(_harness.GuestOf(call.Arg<Machine>().Name), null);
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ScanAsync(kill.Token));
        Assert.InRange(_harness.Verdicts.States.Count, 100, 249);

        _harness.Time.Advance(TimeSpan.FromHours(1));
        await using (_harness.RunClock(TimeSpan.FromMilliseconds(100)))
        {
            // The first scan's last batch and the second scan's finish may both dispatch, one waiting for the other's turn.
            await ScanAsync();
        }

        Assert.Equal(250, _harness.Verdicts.States.Count);
        Assert.Equal(250, _harness.Verdicts.States.Select(s => s.State.ResourceId.ToUpperInvariant()).Distinct().Count());
        Assert.Equal(125, Received(NotificationTypes.GuestUpdateRequired).Count);
        Assert.Equal(125, Received(NotificationTypes.GuestUpdateRequired).Select(m => m.Subject).Distinct().Count());
        Assert.Equal(_harness.Sink.Received.Count, _harness.Sink.Received.Select(m => m.Id).Distinct().Count());
        Assert.Equal(250, _harness.Verdicts.History.Count);
        Assert.All(_harness.Verdicts.States, s => Assert.Empty(s.State.Outbox));
        var scans = await _harness.Ledger.GetScansAsync(CancellationToken.None).ToListAsync();
        Assert.Equal(2, scans.Count);
        Assert.All(scans, s => Assert.Equal(ScanStatus.Completed, s.Status));
        Assert.Equal(0, await _harness.Queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_ReportsEveryVerdict_AndRecordsTheScan()
    {
        _harness.Fleet(19, i => i == 4 ? FanOutHarness.Unpatched : FanOutHarness.Patched);

        var result = await ScanAsync();

        Assert.Equal(19, result.Report.Resources.Count);
        Assert.Equal(result.Report.Resources.OrderBy(r => new ResourceId(r.Id)).Select(r => r.Id), result.Report.Resources.Select(r => r.Id));
        Assert.Equal(1, result.Report.Summary.ActionRequired);
        Assert.Empty(result.Report.Errors);
        var scan = Assert.Single(await _harness.Ledger.GetScansAsync(CancellationToken.None).ToListAsync());
        Assert.Equal(result.Report.ScanId, scan.ScanId);
        Assert.Equal(ScanStatus.Completed, scan.Status);
        Assert.Equal(3, scan.Batches);
        Assert.Equal(19, scan.Recorded);
        Assert.Equal(18, scan.Summary.Compliant);
    }

    [Fact]
    public async Task RunAsync_NoSink_NoDigest()
    {
        var harness = new FanOutHarness(batchSize: 8, withSink: false);
        harness.Fleet(3, _ => FanOutHarness.Patched);

        var result = await harness.ScanRunner().RunAsync(new ScanRequest([Resources.Subscription]), null, CancellationToken.None);

        Assert.Null(result.Scan.Digest);
        Assert.NotNull(result.Scan.CompletedAt);
    }

    [Fact]
    public async Task RunAsync_VerdictsJudgedByAnotherWorker_ComeFromTheStore()
    {
        _harness.Fleet(12, _ => FanOutHarness.Patched);
        var plan = await _harness.Pipeline().StartAsync(new ScanRequest([Resources.Subscription]), CancellationToken.None);

        // Another worker takes the first batch off the queue and runs it.
        var message = (await _harness.Queue.ReceiveAsync(1, CancellationToken.None)).Single();
        await _harness.BatchRunner().RunAsync(ScanBatchJson.Deserialize(message.Text), CancellationToken.None);
        await _harness.Queue.DeleteAsync(message, CancellationToken.None);

        var collected = new List<ScanBatch>();
        await _harness.Worker().RunUntilAsync(
            async token => (await _harness.Ledger.GetScanAsync(plan.ScanId, token))?.CompletedAt is not null,
            (batch, _) => collected.Add(batch),
            CancellationToken.None);

        Assert.Single(collected);
        Assert.Equal(12, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
    }

    [Fact]
    public async Task RunAsync_ProgressCountsTheListingThenTheVerdicts()
    {
        _harness.Fleet(10, _ => FanOutHarness.Patched);
        var seen = new List<ScanProgress>();

        await _harness.ScanRunner().RunAsync(new ScanRequest([Resources.Subscription]), new SyncProgress(seen), CancellationToken.None);

        Assert.Contains(seen, p => p is { Discovered: 10, InventoryComplete: true, Completed: 0 });
        Assert.Equal(new ScanProgress(10, 10, true), seen[^1]);
        Assert.True(seen.Select(p => p.Completed).SequenceEqual(seen.Select(p => p.Completed).Order()));
    }

    private sealed class SyncProgress(List<ScanProgress> seen) : IProgress<ScanProgress>
    {
        public void Report(ScanProgress value)
        {
            lock (seen)
            {
                seen.Add(value);
            }
        }
    }
}
