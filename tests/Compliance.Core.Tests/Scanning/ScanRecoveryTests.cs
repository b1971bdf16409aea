using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;

namespace Compliance.Core.Tests.Scanning;

/// <summary>No scan stays "running" for ever: with nothing in flight, a scan left running is finished or ended as incomplete.</summary>
public sealed class ScanRecoveryTests
{
    private readonly FanOutHarness _harness = new(batchSize: 3);

    public ScanRecoveryTests() => _harness.Fleet(7, _ => FanOutHarness.Patched);

    private Task<ScanRecord?> ScanAsync(string scanId) => _harness.Ledger.GetScanAsync(scanId, CancellationToken.None);

    // Planned and its batches sent, then the process died: the messages are gone from the queue for the test's purposes.
    private async Task<ScanPlan> PlannedWithBatchesLostAsync()
    {
        var plan = await _harness.Pipeline().StartAsync(new ScanRequest([]), CancellationToken.None);
        foreach (var message in await _harness.Queue.ReceiveAsync(10, CancellationToken.None))
        {
            await _harness.Queue.DeleteAsync(message, CancellationToken.None);
        }

        return plan;
    }

    [Fact]
    public async Task Recover_ABatchStillInTheQueue_LeavesEveryScanAlone()
    {
        var plan = await _harness.Pipeline().StartAsync(new ScanRequest([]), CancellationToken.None);
        _harness.Time.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await _harness.Recovery().RecoverAsync(CancellationToken.None));
        Assert.Equal(ScanStatus.Running, (await ScanAsync(plan.ScanId))!.Status);
    }

    [Fact]
    public async Task Recover_EveryBatchOverButTheScanNotFinished_FinishesItAsCompleted_AtOnce()
    {
        var plan = await _harness.PlanAsync();
        foreach (var batch in plan.Batches)
        {
            await _harness.BatchRunner().RunAsync(batch, CancellationToken.None);
        }

        // As if the process died between storing the last batch's result and finishing the scan.
        var finished = (await ScanAsync(plan.ScanId))!;
        await _harness.Ledger.SaveScanAsync(finished with { CompletedAt = null, Digest = null }, CancellationToken.None);

        Assert.Equal(1, await _harness.Recovery().RecoverAsync(CancellationToken.None));
        var scan = (await ScanAsync(plan.ScanId))!;
        Assert.Equal(ScanStatus.Completed, scan.Status);
        Assert.Equal(7, scan.Recorded);
        Assert.Empty(scan.Errors);
    }

    [Fact]
    public async Task Recover_BatchesLost_WaitsForTheSendingGrace_ThenEndsTheScanIncomplete_WithWhatItStored()
    {
        var plan = await PlannedWithBatchesLostAsync();
        await _harness.BatchRunner().RunAsync(plan.Batches[0], CancellationToken.None);

        Assert.Equal(0, await _harness.Recovery().RecoverAsync(CancellationToken.None));
        Assert.Equal(ScanStatus.Running, (await ScanAsync(plan.ScanId))!.Status);

        _harness.Time.Advance(ScanRecovery.SendingGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _harness.Recovery().RecoverAsync(CancellationToken.None));

        var scan = (await ScanAsync(plan.ScanId))!;
        Assert.Equal(ScanStatus.Incomplete, scan.Status);
        Assert.Equal(3, scan.Batches);
        Assert.Equal(2, scan.AbandonedBatches);
        Assert.Equal(3, scan.Recorded);
        Assert.Equal(["batch 2 of 3", "batch 3 of 3"], scan.Errors.Select(e => e.Scope));
        Assert.Equal(3, scan.Summary.Total);
        var digest = Assert.Single(_harness.Received(NotificationTypes.ScanCompleted));
        Assert.Contains("\"status\":\"Incomplete\"", digest.DataJson, StringComparison.Ordinal);
        Assert.Equal(0, await _harness.Recovery().RecoverAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Recover_FinishedScansAndScansOlderThanTheRetention_AreNotTouched()
    {
        await _harness.Ledger.SaveScanAsync(
            new ScanRecord("ancient", _harness.Time.GetUtcNow() - TimeSpan.FromDays(40), null, ComplianceReportBuilder.Summarize([]), 0, 0, [], null) { Batches = 2 },
            CancellationToken.None);
        var plan = await _harness.PlanAsync();
        foreach (var batch in plan.Batches)
        {
            await _harness.BatchRunner().RunAsync(batch, CancellationToken.None);
        }

        _harness.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await _harness.Recovery().RecoverAsync(CancellationToken.None));
        Assert.Equal(ScanStatus.Running, (await ScanAsync("ancient"))!.Status);
        Assert.Equal(ScanStatus.Completed, (await ScanAsync(plan.ScanId))!.Status);
    }
}
