using System.Collections.Concurrent;
using Compliance.Core.Guest;
using Compliance.Core.Inventory;
using Compliance.Core.Rules;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Core.Tests.TestData;
using NSubstitute;

namespace Compliance.Core.Tests.Scanning;

/// <summary>
/// A resource whose keys the store cannot hold (a 900-character VM name) is judged and reported with an error, never
/// stored; it fails nothing else, and no machine is checked twice for it.
/// </summary>
public sealed class UnstorableResourceTests
{
    private static readonly string LongName = "vm-" + new string('x', 897);

    private readonly FanOutHarness _harness = new(batchSize: 4);
    private readonly ConcurrentBag<string> _checked = [];

    public UnstorableResourceTests()
    {
        _harness.Fleet(3, i => i == 0 ? FanOutHarness.Unpatched : FanOutHarness.Patched);
        _harness.Machine(LongName, FanOutHarness.Unpatched);
        _harness.Fleet(3, _ => FanOutHarness.Patched);
        _harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(call =>
        {
            _checked.Add(call.Arg<Machine>().Name);
            return GuestCommandResult.Completed(_harness.GuestOf(call.Arg<Machine>().Name), null);
        });
    }

    [Fact]
    public void TheName_MakesAKeyBeyondTheStoresLimit()
    {
        var id = _harness.Listed.Single(r => r.Name == LongName).Id;

        Assert.False(ResourceKey.IsStorable(id, out var reason));
        Assert.Contains("512", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_StoresEveryOtherVerdict_ReportsTheUnstorableOne_AndCompletes()
    {
        var result = await _harness.ScanRunner().RunAsync(new ScanRequest([Resources.Subscription]), null, CancellationToken.None);

        Assert.Equal(7, result.Report.Resources.Count);
        var unstored = Assert.Single(result.Report.Resources, r => r.Name == LongName);
        Assert.Equal(nameof(ComplianceStatus.ActionRequired), unstored.Status);
        var error = Assert.Single(result.Report.Errors);
        Assert.StartsWith("/subscriptions/", error.Scope, StringComparison.Ordinal);
        Assert.Contains("judged ActionRequired", error.Message, StringComparison.Ordinal);
        Assert.Contains("not stored", error.Message, StringComparison.Ordinal);

        Assert.Equal(6, _harness.Verdicts.States.Count);
        Assert.DoesNotContain(_harness.Verdicts.States, s => s.State.Verdict.Name == LongName);
        Assert.Equal(7, _checked.Count);
        Assert.Equal(ScanStatus.Completed, result.Scan.Status);
        Assert.Equal(6, result.Scan.Recorded);
        Assert.Equal(1, result.Scan.ErrorCount);
        Assert.Equal(6, result.Scan.Summary.Total);
        Assert.Equal(0, await _harness.Queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task BatchDeliveredAgainAfterItWasDone_ChecksNothingAgain()
    {
        var plan = await _harness.PlanAsync();
        foreach (var batch in plan.Batches)
        {
            await _harness.BatchRunner().RunAsync(batch, CancellationToken.None);
        }

        var again = await _harness.BatchRunner().RunAsync(plan.Batches[0], CancellationToken.None);

        Assert.Empty(again.Assessments);
        Assert.Equal(7, _checked.Count);
        Assert.Single(again.Recorded.Unstored);
    }

    [Fact]
    public async Task BatchOutOfTime_TheUnstorableVerdictJudgedBeforeIsNotCheckedAgainOnTheNextDelivery()
    {
        var plan = await _harness.PlanAsync();
        var batch = plan.Batches.Single(b => b.Resources.Any(r => r.Name == LongName));
        var slow = batch.Resources.First(r => r.Name != LongName).Name;
        _harness.ScanOptions.BatchTimeBudget = TimeSpan.FromSeconds(1);
        var othersDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _harness.Runner.RunAsync(Arg.Any<Machine>(), Arg.Any<GuestScript>(), Arg.Any<CancellationToken>()).Returns(async call =>
        {
            var name = call.Arg<Machine>().Name;
            _checked.Add(name);
            if (_checked.Count == batch.Resources.Count)
            {
                othersDone.TrySetResult();
            }

            if (name == slow && _checked.Count(n => n == slow) == 1)
            {
                await othersDone.Task;
                _harness.Time.Advance(_harness.ScanOptions.BatchTimeBudget);
                await Task.Delay(Timeout.Infinite, call.Arg<CancellationToken>());
            }

            return GuestCommandResult.Completed(_harness.GuestOf(name), null);
        });

        await Assert.ThrowsAsync<ScanBatchIncompleteException>(() => _harness.BatchRunner().RunAsync(batch, CancellationToken.None));
        var resumed = await _harness.BatchRunner().RunAsync(batch, CancellationToken.None);

        Assert.Equal([slow], resumed.Assessments.Select(a => a.Resource.Name));
        Assert.Equal(1, _checked.Count(n => n == LongName));
        Assert.Equal(batch.Resources.Count - 1, resumed.Recorded.Recorded);
        Assert.Contains("not stored", Assert.Single(resumed.Recorded.Unstored).Message, StringComparison.Ordinal);
    }
}
