using Compliance.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// <c>POST /api/scans</c> as the Functions app's <see cref="StartScan"/> answers it, and the timer beside it: one scan at
/// a time across both, a bounded number of starts an hour, and no subscription outside the scope.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StartScanTests(AzuriteFixture azurite)
{
    private static readonly string _fleet = Fleets.Of(Fleets.Vm("a"), Fleets.Vm("b"));

    [Fact]
    public async Task RunAsync_TwoQuickRequests_One202AndOne409WithTheRunningScansLocation()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, _fleet);

        var answers = await Task.WhenAll(StartAsync(harness), StartAsync(harness));

        var accepted = Assert.Single(answers, a => a.Status == 202);
        var refused = Assert.Single(answers, a => a.Status != 202);
        var scanId = accepted.Json().GetProperty("scanId").GetString()!;
        refused.AssertProblem(409);
        Assert.Equal($"/api/scans/{scanId}", refused.Headers.Location.ToString());
        Assert.Equal(scanId, refused.Json().GetProperty("scanId").GetString());
        Assert.Single(await harness.Batches.PeekAsync());
    }

    [Fact]
    public async Task ScheduledScan_WhileAStartedScanRuns_SkipsTheOccurrence()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, _fleet);
        Assert.Equal(202, (await StartAsync(harness)).Status);

        var batches = await harness.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Empty(batches);
        Assert.Single(await ScansAsync(harness));
    }

    [Fact]
    public async Task RunAsync_SeventhWithinTheHour_429WithRetryAfter()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, _fleet, [new("Compliance:Scan:MaxStartsPerHour", "2")]);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(202, (await StartAsync(harness)).Status);
            await RunBatchesAsync(harness);
        }

        var refused = await StartAsync(harness);

        Assert.Contains("MaxStartsPerHour", refused.AssertProblem(429), StringComparison.Ordinal);
        Assert.InRange(int.Parse(refused.Headers.RetryAfter.ToString(), System.Globalization.CultureInfo.InvariantCulture), 3000, 3600);
        Assert.Equal(2, (await ScansAsync(harness)).Count);

        // The schedule's scans do not count against the bound.
        Assert.Single(await harness.Function<ScheduledScan>().RunAsync(new TimerInfo(), CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_SubscriptionOutsideTheScope_400AndNothingScanned()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, _fleet);

        var refused = await StartAsync(harness, $$"""{"subscriptions":["{{Fleets.OtherSubscription}}"]}""");

        Assert.Contains(Fleets.OtherSubscription, refused.AssertProblem(400), StringComparison.Ordinal);
        Assert.Empty(await ScansAsync(harness));
        Assert.Empty(await harness.Batches.PeekAsync());
        Assert.Empty(harness.Emulator.RunCommands);
    }

    private static async Task<HttpAnswer> StartAsync(FunctionsHarness harness, string body = "")
    {
        var context = harness.Request("POST", "/api/scans", body);
        return await FunctionsHarness.ExecuteAsync(await new StartScan().RunAsync(context.Request), context);
    }

    private static async Task<List<string>> ScansAsync(FunctionsHarness harness)
    {
        var ids = new List<string>();
        await foreach (var scan in harness.Ledger.GetScansAsync(CancellationToken.None))
        {
            ids.Add(scan.ScanId);
        }

        return ids;
    }

    // What CheckMachines does with every batch queued, so that the scan ends.
    private static async Task RunBatchesAsync(FunctionsHarness harness)
    {
        global::Azure.Storage.Queues.Models.QueueMessage[] messages = await harness.Batches.Queue.ReceiveMessagesAsync(32);
        foreach (var message in messages)
        {
            await harness.Function<CheckMachines>().RunAsync(message, CancellationToken.None);
            await harness.Batches.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        Assert.All(await ScansOfAsync(harness), s => Assert.NotNull(s.CompletedAt));
    }

    private static async Task<List<Compliance.Core.Storage.ScanRecord>> ScansOfAsync(FunctionsHarness harness)
    {
        var scans = new List<Compliance.Core.Storage.ScanRecord>();
        await foreach (var scan in harness.Ledger.GetScansAsync(CancellationToken.None))
        {
            scans.Add(scan);
        }

        return scans;
    }
}
