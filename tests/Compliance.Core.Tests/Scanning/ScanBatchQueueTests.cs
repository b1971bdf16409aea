using Compliance.Core.Scanning;
using Compliance.Core.Tests.TestData;
using Microsoft.Extensions.Logging.Abstractions;

namespace Compliance.Core.Tests.Scanning;

public sealed class ScanBatchQueueTests
{
    // Seven machines in batches of three: three batches.
    private readonly FanOutHarness _harness = new(batchSize: 3);

    public ScanBatchQueueTests() => _harness.Fleet(7, i => i % 3 == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);

    private async Task<(ScanBatchQueue Queue, ScanPlan Plan)> QueueScanAsync()
    {
        var plan = await _harness.PlanAsync();
        var queue = new ScanBatchQueue(_harness.BatchRunner(), NullLogger<ScanBatchQueue>.Instance);
        foreach (var batch in plan.Batches)
        {
            await queue.EnqueueAsync(batch, CancellationToken.None);
        }

        return (queue, plan);
    }

    [Fact]
    public async Task RunAsync_AfterCompleteAdding_RunsEveryBatchOnceAndEnds()
    {
        var (queue, plan) = await QueueScanAsync();
        Assert.Equal(3, queue.Open);

        queue.CompleteAdding();
        await queue.RunAsync(workers: 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, queue.Open);
        Assert.Equal(0, queue.Redeliveries);
        Assert.Equal(7, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
        Assert.NotNull((await _harness.Ledger.GetScanAsync(plan.ScanId, CancellationToken.None))!.CompletedAt);
    }

    [Fact]
    public async Task RunAsync_BatchesKeepFailing_EachIsDeliveredFiveTimesThenGivenUp()
    {
        var (queue, _) = await QueueScanAsync();
        _harness.VerdictWrites.BeforeWrite = _ => throw new IOException("the store is down");

        queue.CompleteAdding();
        await queue.RunAsync(workers: 2, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, queue.Abandoned);
        Assert.Equal(3 * (ScanBatchQueue.MaxAttempts - 1), queue.Redeliveries);
        Assert.Equal(0, queue.Open);
    }

    [Fact]
    public async Task RunAsync_FailsOnceThenWorks_TheRedeliveryRecordsEverything()
    {
        var (queue, plan) = await QueueScanAsync();
        var failures = 0;
        _harness.VerdictWrites.BeforeWrite = _ =>
        {
            if (Interlocked.Increment(ref failures) == 1)
            {
                throw new IOException("a moment's outage");
            }

            return Task.CompletedTask;
        };

        queue.CompleteAdding();
        await queue.RunAsync(workers: 1, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, queue.Redeliveries);
        Assert.Equal(0, queue.Abandoned);
        Assert.Equal(7, _harness.Verdicts.States.Count(s => s.State.ScanId == plan.ScanId));
    }
}
