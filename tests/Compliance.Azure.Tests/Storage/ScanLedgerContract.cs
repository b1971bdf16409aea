using System.Text.Json;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="IScanLedger"/> does, run against the Table store on Azurite and against the one in memory, so
/// that the scans and tests that use the one in memory see what production sees.
/// </summary>
public abstract class ScanLedgerContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);
    private static readonly ReportSummary _empty = ComplianceReportBuilder.Summarize([]);

    /// <summary>The ledger under test; every instance it returns sees the same data.</summary>
    protected abstract IScanLedger Ledger { get; }

    private static BatchResult Done(RecordOutcome outcome, DateTimeOffset? at = null) => new(outcome, at ?? _t0);

    private static ScanRecord Started(string scanId, DateTimeOffset? at = null) => new(scanId, at ?? _t0, null, _empty, 0, 0, [], null);

    private static ScanRecord Finished(string scanId, int recorded, DateTimeOffset? at = null)
    {
        var summary = new ReportSummary(recorded, recorded, 0, 0, 0, new Dictionary<string, int> { ["GuestUpdate"] = 0 });
        var finished = new ScanRecord(scanId, at ?? _t0, (at ?? _t0).AddMinutes(recorded), summary, recorded, 1, [new ReportError("sub", $"error {recorded}")], null);
        return finished with { Digest = new PendingNotification(NotificationPolicy.Digest(finished), ["webhook"]) };
    }

    // Records holding lists compare their lists by reference; compare what is stored instead.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    // -- Scans and the summary

    [Fact]
    public async Task ScansAndSummary_RoundTrip()
    {
        var summary = new ReportSummary(3, 1, 1, 1, 0, new Dictionary<string, int> { ["GuestUpdate"] = 1, ["KvaShadowing"] = 0 });
        var digest = new PendingNotification(new NotificationMessage("d", NotificationTypes.ScanCompleted, "/scans/b", _t0, "{}"), ["webhook"]);
        await Ledger.SaveScanAsync(new ScanRecord("a", _t0, _t0.AddMinutes(1), summary, 3, 0, [], null), CancellationToken.None);
        await Ledger.SaveScanAsync(new ScanRecord("b", _t0.AddHours(6), null, summary, 0, 0, [new ReportError("sub", "boom")], digest), CancellationToken.None);
        await Ledger.SaveSummaryAsync(summary, "a", _t0, CancellationToken.None);

        var scans = await Ledger.GetScansAsync(CancellationToken.None).ToListAsync();
        var stored = await Ledger.GetSummaryAsync(CancellationToken.None);

        Assert.Equal(["b", "a"], scans.Select(s => s.ScanId));
        Assert.Equal(Json(digest), Json(scans[0].Digest));
        Assert.Equal("boom", Assert.Single(scans[0].Errors).Message);
        Assert.Equal(TimeSpan.FromMinutes(1), scans[1].Duration);
        Assert.Equal(3, stored!.Value.Summary.Total);
        Assert.Equal(1, stored.Value.Summary.ByAction["GuestUpdate"]);
        Assert.Equal("a", stored.Value.ScanId);
        Assert.Equal(_t0, stored.Value.UpdatedAt);
    }

    [Fact]
    public async Task GetSummaryAsync_NeverSaved_IsNull_ThenTheLastSaved()
    {
        Assert.Null(await Ledger.GetSummaryAsync(CancellationToken.None));

        await Ledger.SaveSummaryAsync(new ReportSummary(1, 1, 0, 0, 0, new Dictionary<string, int>()), "scan-1", _t0, CancellationToken.None);
        await Ledger.SaveSummaryAsync(new ReportSummary(2, 0, 2, 0, 0, new Dictionary<string, int>()), "scan-2", _t0.AddHours(1), CancellationToken.None);

        var stored = await Ledger.GetSummaryAsync(CancellationToken.None);
        Assert.Equal((2, "scan-2", _t0.AddHours(1)), (stored!.Value.Summary.Total, stored.Value.ScanId, stored.Value.UpdatedAt));
    }

    [Fact]
    public async Task GetScansAsync_NewestStartFirst_WhateverTheOrderOfSaving()
    {
        await Ledger.SaveScanAsync(Started("scan-b", _t0.AddHours(1)), CancellationToken.None);
        await Ledger.SaveScanAsync(Started("scan-c", _t0.AddHours(2)), CancellationToken.None);
        await Ledger.SaveScanAsync(Started("scan-a", _t0), CancellationToken.None);
        await Ledger.SaveScanAsync(Started("scan-d", _t0.AddHours(1)), CancellationToken.None);

        var scans = await Ledger.GetScansAsync(CancellationToken.None).ToListAsync();

        // A scan started at the same moment as another comes after it when its id sorts after.
        Assert.Equal(["scan-c", "scan-b", "scan-d", "scan-a"], scans.Select(s => s.ScanId));
    }

    [Fact]
    public async Task SaveScanAsync_Again_ReplacesTheRecord()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);

        await Ledger.SaveScanAsync(Started("scan-1") with { Recorded = 5, Errors = [new ReportError("sub", "late")] }, CancellationToken.None);

        var scan = Assert.Single(await Ledger.GetScansAsync(CancellationToken.None).ToListAsync());
        Assert.Equal(5, scan.Recorded);
        Assert.Equal("late", Assert.Single(scan.Errors).Message);
    }

    // -- GetScanAsync and TryFinishScanAsync

    [Fact]
    public async Task GetScanAsync_Unknown_IsNull()
    {
        await Ledger.SaveScanAsync(Started("scan-a"), CancellationToken.None);

        Assert.Null(await Ledger.GetScanAsync("scan-b", CancellationToken.None));
        Assert.Null(await Ledger.GetScanAsync("scan-", CancellationToken.None));
        Assert.Null(await Ledger.GetScanAsync("SCAN-A", CancellationToken.None));
        Assert.Null(await Ledger.GetScanAsync("' or ScanId ne '", CancellationToken.None));
    }

    [Fact]
    public async Task GetScanAsync_FindsTheScanAmongOthers()
    {
        for (var i = 0; i < 5; i++)
        {
            await Ledger.SaveScanAsync(Started($"scan-{i}", _t0.AddHours(i)), CancellationToken.None);
        }

        var scan = await Ledger.GetScanAsync("scan-2", CancellationToken.None);

        Assert.Equal("scan-2", scan!.ScanId);
        Assert.Equal(_t0.AddHours(2), scan.StartedAt);
        Assert.Null(scan.CompletedAt);
    }

    [Fact]
    public async Task TryFinishScanAsync_FirstWins_TheStoredRecordIsTheFirst()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);

        var first = await Ledger.TryFinishScanAsync(Finished("scan-1", 7), CancellationToken.None);
        var second = await Ledger.TryFinishScanAsync(Finished("scan-1", 9), CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        var scan = await Ledger.GetScanAsync("scan-1", CancellationToken.None);
        Assert.Equal(_t0, scan!.StartedAt);
        Assert.Equal(_t0.AddMinutes(7), scan.CompletedAt);
        Assert.Equal(7, scan.Recorded);
        Assert.Equal(1, scan.Stale);
        Assert.Equal(7, scan.Summary.Total);
        Assert.Equal("error 7", Assert.Single(scan.Errors).Message);
        Assert.Equal(Finished("scan-1", 7).Digest!.Message, scan.Digest!.Message);
        Assert.Equal(["webhook"], scan.Digest.PendingSinks);
        Assert.Equal(["scan-1"], (await Ledger.GetScansAsync(CancellationToken.None).ToListAsync()).Select(s => s.ScanId));
    }

    [Fact]
    public async Task TryFinishScanAsync_NeverStarted_CreatesItOnce()
    {
        Assert.True(await Ledger.TryFinishScanAsync(Finished("scan-1", 3), CancellationToken.None));
        Assert.False(await Ledger.TryFinishScanAsync(Finished("scan-1", 4), CancellationToken.None));

        Assert.Equal(3, (await Ledger.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
    }

    [Fact]
    public async Task TryFinishScanAsync_ManyWorkersAtOnce_ExactlyOneWins()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Ledger.SaveScanAsync(Started("scan-2", _t0.AddHours(1)), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => Ledger.TryFinishScanAsync(Finished("scan-1", i), CancellationToken.None))));

        var winner = Assert.Single(results.Select((won, i) => (won, recorded: i + 1)), r => r.won).recorded;
        Assert.Equal(winner, (await Ledger.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
        Assert.Null((await Ledger.GetScanAsync("scan-2", CancellationToken.None))!.CompletedAt);
    }

    [Fact]
    public async Task TryFinishScanAsync_ManyWorkersAtOnceOnANeverStartedScan_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => Ledger.TryFinishScanAsync(Finished("scan-1", i), CancellationToken.None))));

        Assert.Single(results, won => won);
        Assert.Single(await Ledger.GetScansAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task SaveScanAsync_ThenTryFinish_TheDigestCanBeClearedAfterwards()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Ledger.TryFinishScanAsync(Finished("scan-1", 2), CancellationToken.None);
        var finished = await Ledger.GetScanAsync("scan-1", CancellationToken.None);

        await Ledger.SaveScanAsync(finished! with { Digest = null }, CancellationToken.None);

        var scan = await Ledger.GetScanAsync("scan-1", CancellationToken.None);
        Assert.Null(scan!.Digest);
        Assert.Equal(_t0.AddMinutes(2), scan.CompletedAt);
        Assert.False(await Ledger.TryFinishScanAsync(Finished("scan-1", 5), CancellationToken.None));
    }

    // -- Batch outcomes

    [Fact]
    public async Task BatchOutcomes_ArePerScanAndIdempotentPerIndex()
    {
        await Ledger.SaveBatchResultAsync("scan-a", 0, Done(new RecordOutcome(3, 0, 0, 3, 1)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-a", 12, Done(new RecordOutcome(1, 2, 0, 0, 0)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-ab", 0, Done(new RecordOutcome(9, 9, 9, 9, 9)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-b", 0, Done(new RecordOutcome(5, 0, 0, 0, 0)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-a", 12, Done(new RecordOutcome(2, 1, 1, 0, 4)), CancellationToken.None);

        var a = await Ledger.GetBatchResultsAsync("scan-a", CancellationToken.None);
        var b = await Ledger.GetBatchResultsAsync("scan-b", CancellationToken.None);

        Assert.Equal(2, a.Count);
        Assert.Equal(new RecordOutcome(3, 0, 0, 3, 1), a[0].Outcome);
        Assert.Equal(new RecordOutcome(2, 1, 1, 0, 4), a[12].Outcome);
        Assert.Equal(new RecordOutcome(5, 0, 0, 0, 0), Assert.Single(b).Value.Outcome);
        Assert.Empty(await Ledger.GetBatchResultsAsync("scan-c", CancellationToken.None));
        Assert.Empty(await Ledger.GetBatchResultsAsync("scan-", CancellationToken.None));
    }

    [Fact]
    public async Task BatchOutcomes_ScanIdsWithAnyCharacters_StayApart()
    {
        string[] scanIds = ["a/b", "a#b", "a?b", "a\\b", "a'b", "a\"b", "A/B", "a b", "é"];
        for (var i = 0; i < scanIds.Length; i++)
        {
            await Ledger.SaveBatchResultAsync(scanIds[i], i, Done(new RecordOutcome(i, 0, 0, 0, 0)), CancellationToken.None);
        }

        for (var i = 0; i < scanIds.Length; i++)
        {
            var outcome = Assert.Single(await Ledger.GetBatchResultsAsync(scanIds[i], CancellationToken.None));
            Assert.Equal(i, outcome.Key);
            Assert.Equal(i, outcome.Value.Outcome.Recorded);
        }
    }

    [Fact]
    public async Task BatchOutcomes_DoNotShowAsScans()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-1", 0, Done(new RecordOutcome(1, 0, 0, 0, 0)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-1", 1, Done(new RecordOutcome(1, 0, 0, 0, 0)), CancellationToken.None);

        Assert.Equal(["scan-1"], (await Ledger.GetScansAsync(CancellationToken.None).ToListAsync()).Select(s => s.ScanId));
        Assert.Equal(0, (await Ledger.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
    }

    [Fact]
    public async Task BatchResults_KeepTheirStateTheirJudgedPositionsTheirErrorAndTheUnstoredVerdicts()
    {
        var unstored = new ReportError("/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/" + new string('v', 900), "judged Compliant; not stored: too long");
        var partial = new BatchResult(new RecordOutcome(0, 1, 0, 2, 1) { Unstored = [unstored] }, _t0) { State = BatchState.Partial, Judged = [0, 7, 99] };
        var abandoned = new BatchResult(new RecordOutcome(4, 0, 0, 0, 0), _t0.AddMinutes(1)) { State = BatchState.Abandoned, Error = "HttpRequestException: the store is down" };

        await Ledger.SaveBatchResultAsync("scan-1", 0, partial, CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-1", 1, abandoned, CancellationToken.None);
        var read = await Ledger.GetBatchResultsAsync("scan-1", CancellationToken.None);

        Assert.Equal(BatchState.Partial, read[0].State);
        Assert.False(read[0].IsOver);
        Assert.Equal([0, 7, 99], read[0].Judged);
        Assert.Equal(new RecordOutcome(0, 1, 0, 2, 1), read[0].Outcome with { Unstored = [] });
        var kept = Assert.Single(read[0].Outcome.Unstored);
        Assert.StartsWith(unstored.Scope[..100], kept.Scope, StringComparison.Ordinal);
        Assert.Equal(unstored.Message, kept.Message);
        Assert.Equal(BatchState.Abandoned, read[1].State);
        Assert.True(read[1].IsOver);
        Assert.Equal("HttpRequestException: the store is down", read[1].Error);
        Assert.Equal(_t0.AddMinutes(1), read[1].DoneAt);
    }

    [Fact]
    public async Task PruneBatchResults_RemovesOnlyThoseDoneBeforeTheCutoff_OfEveryScan()
    {
        await Ledger.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-1", 0, Done(new RecordOutcome(1, 0, 0, 0, 0), _t0), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-1", 1, Done(new RecordOutcome(1, 0, 0, 0, 0), _t0.AddDays(40)), CancellationToken.None);
        await Ledger.SaveBatchResultAsync("scan-2", 0, Done(new RecordOutcome(1, 0, 0, 0, 0), _t0.AddDays(1)), CancellationToken.None);

        var removed = await Ledger.PruneBatchResultsAsync(_t0.AddDays(30), CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Equal([1], (await Ledger.GetBatchResultsAsync("scan-1", CancellationToken.None)).Keys);
        Assert.Empty(await Ledger.GetBatchResultsAsync("scan-2", CancellationToken.None));
        Assert.NotNull(await Ledger.GetScanAsync("scan-1", CancellationToken.None));
        Assert.Equal(0, await Ledger.PruneBatchResultsAsync(_t0.AddDays(30), CancellationToken.None));
    }

    [Fact]
    public async Task SaveScan_ThousandsOfLongErrors_KeepsABoundedListAndTheirCount()
    {
        var errors = Enumerable.Range(0, 2_000)
            .Select(i => new ReportError($"{Guid.NewGuid()}{new string('s', 700)}", $"subscription {i} not found: {new string('m', 900)}"))
            .ToList();
        var scan = Started("scan-1") with { Errors = errors, ErrorCount = errors.Count, Batches = 3, PlannedAt = _t0.AddSeconds(5) };

        await Ledger.SaveScanAsync(scan, CancellationToken.None);
        var read = (await Ledger.GetScanAsync("scan-1", CancellationToken.None))!;

        Assert.Equal(2_000, read.ErrorCount);
        Assert.Equal(ScanErrors.MaxKept, read.Errors.Count);
        Assert.All(read.Errors, e => Assert.InRange(e.Scope.Length + e.Message.Length, 1, ScanErrors.MaxScopeLength + ScanErrors.MaxMessageLength));
        Assert.Equal(errors[0].Message[..100], read.Errors[0].Message[..100]);
        Assert.Equal(3, read.Batches);
        Assert.Equal(_t0.AddSeconds(5), read.PlannedAt);
        Assert.Equal(ScanStatus.Running, read.Status);
    }

    [Fact]
    public async Task TryFinishScan_KeepsTheAbandonedBatches_AndTheStatusSaysIncomplete()
    {
        await Ledger.SaveScanAsync(Started("scan-1") with { Batches = 4 }, CancellationToken.None);

        Assert.True(await Ledger.TryFinishScanAsync(Finished("scan-1", 5) with { Batches = 4, AbandonedBatches = 1 }, CancellationToken.None));
        var read = (await Ledger.GetScanAsync("scan-1", CancellationToken.None))!;

        Assert.Equal(1, read.AbandonedBatches);
        Assert.Equal(ScanStatus.Incomplete, read.Status);
    }
}
