using System.Collections.Concurrent;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using NSubstitute;

namespace Compliance.Core.Tests.Queues;

/// <summary>The worker runs the queue's batches as the Functions host's queue trigger does.</summary>
public sealed class ScanBatchWorkerTests
{
    // Seven machines in batches of three: three batches.
    private readonly FanOutHarness _harness = new(batchSize: 3);

    public ScanBatchWorkerTests() => _harness.Fleet(7, i => i % 3 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);

    private async Task<ScanPlan> StartAsync() => await _harness.Pipeline().StartAsync(new ScanRequest([]), CancellationToken.None);

    private Task RunUntilFinishedAsync(string scanId, Compliance.Core.Queues.ScanBatchWorker? worker = null) =>
        (worker ?? _harness.Worker()).RunUntilAsync(
            async token => (await _harness.Ledger.GetScanAsync(scanId, token))?.CompletedAt is not null,
            onBatchDone: null,
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task RunUntil_RunsEveryBatchOnce_DeletesEachMessage_AndTheScanCompletes()
    {
        var plan = await StartAsync();
        Assert.Equal(3, await _harness.Queue.CountAsync(CancellationToken.None));
        var worker = _harness.Worker();

        await RunUntilFinishedAsync(plan.ScanId, worker);

        Assert.Equal(0, await _harness.Queue.CountAsync(CancellationToken.None));
        Assert.Equal(0, worker.Retried);
        Assert.Empty(_harness.Queue.Poisoned);
        Assert.Equal(7, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
        var scan = await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None);
        Assert.Equal(ScanStatus.Completed, scan!.Status);
        await _harness.Runner.Received(7).RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task RunUntil_BatchesKeepFailing_EachIsDeliveredFiveTimes_ThenPoisonedAndGivenUp_AndTheScanEndsIncomplete()
    {
        var plan = await StartAsync();
        _harness.VerdictWrites.BeforeWrite = _ => throw new IOException("the store is down");
        var worker = _harness.Worker();

        await RunUntilFinishedAsync(plan.ScanId, worker);

        Assert.Equal(3, _harness.Queue.Poisoned.Count);
        Assert.Equal(3 * (_harness.QueueOptions.MaxDequeueCount - 1), worker.Retried);
        Assert.Equal(3, worker.Poisoned);
        Assert.Equal(0, await _harness.Queue.CountAsync(CancellationToken.None));
        var scan = (await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!;
        Assert.Equal(ScanStatus.Incomplete, scan.Status);
        Assert.Equal(3, scan.AbandonedBatches);
        Assert.All(scan.Errors, e => Assert.Contains("the store is down", e.Message, StringComparison.Ordinal));
        Assert.Equal(3, scan.ErrorCount);
    }

    [Fact]
    public async Task RunUntil_FailsOnceThenWorks_TheRedeliveryRecordsEverything()
    {
        var plan = await StartAsync();
        var failures = 0;
        _harness.VerdictWrites.BeforeWrite = _ => Interlocked.Increment(ref failures) == 1 ? throw new IOException("a blip") : Task.CompletedTask;
        var worker = _harness.Worker();

        await RunUntilFinishedAsync(plan.ScanId, worker);

        Assert.Equal(1, worker.Retried);
        Assert.Empty(_harness.Queue.Poisoned);
        Assert.Equal(7, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
        Assert.Equal(ScanStatus.Completed, (await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task RunUntil_AMessageThatIsNotABatch_GoesToThePoisonQueueAtOnce_AndTheOthersRun()
    {
        var plan = await StartAsync();
        await _harness.Queue.SendAsync(["{\"scanId\":\"x\"}", "not json"], CancellationToken.None);

        await RunUntilFinishedAsync(plan.ScanId);

        Assert.Equal(["not json", "{\"scanId\":\"x\"}"], _harness.Queue.Poisoned.Order(StringComparer.Ordinal));
        Assert.Equal(ScanStatus.Completed, (await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task RunUntil_AMessageDeliveredMoreOftenThanAllowed_IsGivenUpWithoutRunning()
    {
        var plan = await StartAsync();
        for (var delivery = 0; delivery < _harness.QueueOptions.MaxDequeueCount; delivery++)
        {
            // Workers that died holding batch 0: received, never deleted, back after its timeout. The others wait.
            foreach (var message in await _harness.Queue.ReceiveAsync(3, CancellationToken.None))
            {
                if (ScanBatchJson.Deserialize(message.Text).Index != 0)
                {
                    await _harness.Queue.HideAsync(message, TimeSpan.FromDays(1), CancellationToken.None);
                }
            }

            _harness.Time.Advance(_harness.QueueOptions.VisibilityTimeout);
        }

        _harness.Time.Advance(TimeSpan.FromDays(1));
        await RunUntilFinishedAsync(plan.ScanId);

        var given = Assert.Single(_harness.Queue.Poisoned);
        Assert.Equal(0, ScanBatchJson.Deserialize(given).Index);
        var scan = (await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!;
        Assert.Equal(1, scan.AbandonedBatches);
        Assert.Contains(scan.Errors, e => e.Message.Contains("delivered 6 times", StringComparison.Ordinal));
        Assert.Equal(4, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
    }

    [Fact]
    public async Task Run_Cancelled_GivesTheMessagesUnderWayBack()
    {
        await StartAsync();
        using var stop = new CancellationTokenSource();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, call.ArgAt<CancellationToken>(2));
            return GuestCommandResult.Completed(string.Empty, null);
        });

        var run = _harness.Worker().RunAsync(stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(30)));

        // Every message is back at once, and no verdict was stored.
        Assert.Equal(3, (await _harness.Queue.ReceiveAsync(10, CancellationToken.None)).Count);
        Assert.Empty(_harness.Verdicts.States);
    }

    [Fact]
    public async Task RunUntil_QueueEmpty_EndsAScanLeftRunningWhoseBatchesWereLost()
    {
        var plan = await StartAsync();
        foreach (var message in await _harness.Queue.ReceiveAsync(10, CancellationToken.None))
        {
            // Lost: deleted without being run.
            await _harness.Queue.DeleteAsync(message, CancellationToken.None);
        }

        _harness.Time.Advance(ScanRecovery.SendingGrace + TimeSpan.FromSeconds(1));
        await RunUntilFinishedAsync(plan.ScanId);

        var scan = (await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!;
        Assert.Equal(ScanStatus.Incomplete, scan.Status);
        Assert.Equal(3, scan.AbandonedBatches);
        Assert.Equal(3, scan.Errors.Count(e => e.Message.Contains("never completed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RunUntil_HearsOfEveryBatchThatRanToItsEnd()
    {
        var plan = await StartAsync();
        var done = new ConcurrentBag<(int Index, int Judged)>();

        await _harness.Worker().RunUntilAsync(
            async token => (await _harness.Ledger.GetScanAsync(plan.ScanId, token))?.CompletedAt is not null,
            (batch, outcome) => done.Add((batch.Index, outcome.Assessments.Count)),
            CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([(0, 3), (1, 3), (2, 1)], done.OrderBy(d => d.Index));
    }
}
