using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What fanned-out scans and resource events need of the Table store, against Azurite: deleting a state, finishing a
/// scan once, batch outcomes, handled event ids, and paging through states.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableComplianceStoreFanOutTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SubscriptionA = "11111111-1111-1111-1111-111111111111";
    private const string SubscriptionB = "22222222-2222-2222-2222-222222222222";
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);
    private static readonly ReportSummary _empty = ComplianceReportBuilder.Summarize([]);

    private readonly TableStoreTables _tables = TableStoreTables.Create(
        new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = "f" + Guid.NewGuid().ToString("N")[..12] },
        new global::Azure.Identity.DefaultAzureCredential());

    private TableComplianceStore Store => new(_tables);

    public Task InitializeAsync() => Store.InitializeAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        foreach (var table in _tables.All)
        {
            await table.DeleteAsync();
        }
    }

    private static string Id(string name, string subscription = SubscriptionA, string type = "virtualMachines") =>
        $"/subscriptions/{subscription}/resourceGroups/rg-Test/providers/Microsoft.Compute/{type}/{name}";

    private static ResourceState State(string id, string status = "Compliant") => new(
        new ReportResource(id, "VirtualMachine", id[(id.LastIndexOf('/') + 1)..], "Linux", status, status == "ActionRequired" ? ["GuestUpdate"] : [], [], new ResourceId(id).SubscriptionId, "rg-Test", "westeurope", _t0),
        "scan-1",
        null,
        [],
        [],
        []);

    private async Task WriteAsync(params ResourceState[] states)
    {
        var results = await Store.WriteStatesAsync(states.Select(s => new StateWrite(s, null)).ToList(), CancellationToken.None);
        Assert.All(results, r => Assert.True(r.Written));
    }

    private async Task<List<string>> IdsAsync(StateQuery query) =>
        (await Store.QueryStatesAsync(query, CancellationToken.None).ToListAsync()).Select(s => s.State.ResourceId).ToList();

    private static ScanRecord Started(string scanId, DateTimeOffset? at = null) => new(scanId, at ?? _t0, null, _empty, 0, 0, [], null);

    private static ScanRecord Finished(string scanId, int recorded, DateTimeOffset? at = null)
    {
        var summary = new ReportSummary(recorded, recorded, 0, 0, 0, new Dictionary<string, int> { ["GuestUpdate"] = 0 });
        var finished = new ScanRecord(scanId, at ?? _t0, (at ?? _t0).AddMinutes(recorded), summary, recorded, 1, [new ReportError("sub", $"error {recorded}")], null);
        return finished with { Digest = new PendingNotification(NotificationPolicy.Digest(finished), ["webhook"]) };
    }

    // -- DeleteStateAsync

    [Fact]
    public async Task DeleteStateAsync_RemovesTheStateFromReadsAndQueries_KeepsItsHistory()
    {
        await WriteAsync(State(Id("vm-1")), State(Id("vm-2"), "ActionRequired"), State(Id("vm-3", SubscriptionB)));
        await Store.AppendHistoryAsync([new HistoryEntry(Id("vm-2"), _t0, "scan-1", null, "ActionRequired", [], ["GuestUpdate"], [])], CancellationToken.None);

        var deleted = await Store.DeleteStateAsync(Id("vm-2").ToUpperInvariant(), CancellationToken.None);

        Assert.True(deleted);
        Assert.Null(await Store.GetStateAsync(Id("vm-2"), CancellationToken.None));
        Assert.Equal([Id("vm-1")], (await Store.GetStatesAsync([Id("vm-1"), Id("vm-2")], CancellationToken.None)).Keys);
        Assert.Equal([Id("vm-1"), Id("vm-3", SubscriptionB)], await IdsAsync(StateQuery.All));
        Assert.Empty(await IdsAsync(new StateQuery { Status = "ActionRequired" }));
        Assert.Empty(await IdsAsync(new StateQuery { Action = "GuestUpdate" }));
        Assert.Single(await Store.GetHistoryAsync(Id("vm-2"), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task DeleteStateAsync_Missing_IsFineAndSaysSo()
    {
        await WriteAsync(State(Id("vm-1")));

        Assert.False(await Store.DeleteStateAsync(Id("never-stored"), CancellationToken.None));
        Assert.False(await Store.DeleteStateAsync(Id("vm-1", SubscriptionB), CancellationToken.None));
        Assert.True(await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None));
        Assert.False(await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None));
        Assert.Empty(await IdsAsync(StateQuery.All));
    }

    [Fact]
    public async Task DeleteStateAsync_ThenWrittenAgain_IsCreatedAfresh()
    {
        await WriteAsync(State(Id("vm-1"), "ActionRequired"));
        await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None);

        var written = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Id("vm-1")), null)], CancellationToken.None));

        Assert.True(written.Written);
        Assert.Equal("Compliant", (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.Verdict.Status);
    }

    // -- GetScanAsync and TryFinishScanAsync

    [Fact]
    public async Task GetScanAsync_Unknown_IsNull()
    {
        await Store.SaveScanAsync(Started("scan-a"), CancellationToken.None);

        Assert.Null(await Store.GetScanAsync("scan-b", CancellationToken.None));
        Assert.Null(await Store.GetScanAsync("scan-", CancellationToken.None));
        Assert.Null(await Store.GetScanAsync("' or ScanId ne '", CancellationToken.None));
    }

    [Fact]
    public async Task GetScanAsync_FindsTheScanAmongOthers()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.SaveScanAsync(Started($"scan-{i}", _t0.AddHours(i)), CancellationToken.None);
        }

        var scan = await Store.GetScanAsync("scan-2", CancellationToken.None);

        Assert.Equal("scan-2", scan!.ScanId);
        Assert.Equal(_t0.AddHours(2), scan.StartedAt);
        Assert.Null(scan.CompletedAt);
    }

    [Fact]
    public async Task TryFinishScanAsync_FirstWins_TheStoredRecordIsTheFirst()
    {
        await Store.SaveScanAsync(Started("scan-1"), CancellationToken.None);

        var first = await Store.TryFinishScanAsync(Finished("scan-1", 7), CancellationToken.None);
        var second = await Store.TryFinishScanAsync(Finished("scan-1", 9), CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        var scan = await Store.GetScanAsync("scan-1", CancellationToken.None);
        Assert.Equal(_t0, scan!.StartedAt);
        Assert.Equal(_t0.AddMinutes(7), scan.CompletedAt);
        Assert.Equal(7, scan.Recorded);
        Assert.Equal(1, scan.Stale);
        Assert.Equal(7, scan.Summary.Total);
        Assert.Equal("error 7", Assert.Single(scan.Errors).Message);
        Assert.Equal(Finished("scan-1", 7).Digest!.Message, scan.Digest!.Message);
        Assert.Equal(["webhook"], scan.Digest.PendingSinks);
        Assert.Equal(["scan-1"], (await Store.GetScansAsync(CancellationToken.None).ToListAsync()).Select(s => s.ScanId));
    }

    [Fact]
    public async Task TryFinishScanAsync_NeverStarted_CreatesItOnce()
    {
        Assert.True(await Store.TryFinishScanAsync(Finished("scan-1", 3), CancellationToken.None));
        Assert.False(await Store.TryFinishScanAsync(Finished("scan-1", 4), CancellationToken.None));

        Assert.Equal(3, (await Store.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
    }

    [Fact]
    public async Task TryFinishScanAsync_ManyWorkersAtOnce_ExactlyOneWins()
    {
        await Store.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Store.SaveScanAsync(Started("scan-2", _t0.AddHours(1)), CancellationToken.None);

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => new TableComplianceStore(_tables).TryFinishScanAsync(Finished("scan-1", i), CancellationToken.None))));

        var winner = Assert.Single(results.Select((won, i) => (won, recorded: i + 1)), r => r.won).recorded;
        Assert.Equal(winner, (await Store.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
        Assert.Null((await Store.GetScanAsync("scan-2", CancellationToken.None))!.CompletedAt);
    }

    [Fact]
    public async Task TryFinishScanAsync_ManyWorkersAtOnceOnANeverStartedScan_ExactlyOneWins()
    {
        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() => new TableComplianceStore(_tables).TryFinishScanAsync(Finished("scan-1", i), CancellationToken.None))));

        Assert.Single(results, won => won);
        Assert.Single(await Store.GetScansAsync(CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task SaveScanAsync_ThenTryFinish_TheDigestCanBeClearedAfterwards()
    {
        await Store.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Store.TryFinishScanAsync(Finished("scan-1", 2), CancellationToken.None);
        var finished = await Store.GetScanAsync("scan-1", CancellationToken.None);

        await Store.SaveScanAsync(finished! with { Digest = null }, CancellationToken.None);

        var scan = await Store.GetScanAsync("scan-1", CancellationToken.None);
        Assert.Null(scan!.Digest);
        Assert.Equal(_t0.AddMinutes(2), scan.CompletedAt);
        Assert.False(await Store.TryFinishScanAsync(Finished("scan-1", 5), CancellationToken.None));
    }

    // -- Batch outcomes

    [Fact]
    public async Task BatchOutcomes_ArePerScanAndIdempotentPerIndex()
    {
        await Store.SaveBatchOutcomeAsync("scan-a", 0, new RecordOutcome(3, 0, 0, 3, 1), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-a", 12, new RecordOutcome(1, 2, 0, 0, 0), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-ab", 0, new RecordOutcome(9, 9, 9, 9, 9), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-b", 0, new RecordOutcome(5, 0, 0, 0, 0), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-a", 12, new RecordOutcome(2, 1, 1, 0, 4), CancellationToken.None);

        var a = await Store.GetBatchOutcomesAsync("scan-a", CancellationToken.None);
        var b = await Store.GetBatchOutcomesAsync("scan-b", CancellationToken.None);

        Assert.Equal(2, a.Count);
        Assert.Equal(new RecordOutcome(3, 0, 0, 3, 1), a[0]);
        Assert.Equal(new RecordOutcome(2, 1, 1, 0, 4), a[12]);
        Assert.Equal(new RecordOutcome(5, 0, 0, 0, 0), Assert.Single(b).Value);
        Assert.Empty(await Store.GetBatchOutcomesAsync("scan-c", CancellationToken.None));
        Assert.Empty(await Store.GetBatchOutcomesAsync("scan-", CancellationToken.None));
    }

    [Fact]
    public async Task BatchOutcomes_ScanIdsWithAnyCharacters_StayApart()
    {
        string[] scanIds = ["a/b", "a#b", "a?b", "a\\b", "a'b", "a\"b", "A/B", "a b", "é"];
        for (var i = 0; i < scanIds.Length; i++)
        {
            await Store.SaveBatchOutcomeAsync(scanIds[i], i, new RecordOutcome(i, 0, 0, 0, 0), CancellationToken.None);
        }

        for (var i = 0; i < scanIds.Length; i++)
        {
            var outcome = Assert.Single(await Store.GetBatchOutcomesAsync(scanIds[i], CancellationToken.None));
            Assert.Equal(i, outcome.Key);
            Assert.Equal(i, outcome.Value.Recorded);
        }
    }

    [Fact]
    public async Task BatchOutcomes_DoNotShowAsScans()
    {
        await Store.SaveScanAsync(Started("scan-1"), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-1", 0, new RecordOutcome(1, 0, 0, 0, 0), CancellationToken.None);
        await Store.SaveBatchOutcomeAsync("scan-1", 1, new RecordOutcome(1, 0, 0, 0, 0), CancellationToken.None);

        Assert.Equal(["scan-1"], (await Store.GetScansAsync(CancellationToken.None).ToListAsync()).Select(s => s.ScanId));
        Assert.Equal(0, (await Store.GetScanAsync("scan-1", CancellationToken.None))!.Recorded);
    }

    // -- Handled events

    [Theory]
    [InlineData("5e2d7a3c-0f4b-4b8e-9a51-1d2c3b4a5f60")]
    [InlineData("a/b/c")]
    [InlineData("a#b")]
    [InlineData("a?b=c&d")]
    [InlineData("a\\b")]
    [InlineData("it's")]
    [InlineData("say \"hi\"")]
    [InlineData("' or PartitionKey ne '")]
    [InlineData("tab\there")]
    [InlineData("%2F and %23")]
    [InlineData("ünïcødé-事件-🙂")]
    [InlineData(":!2F")]
    public async Task Events_AnyId_IsRememberedOnceMarked(string eventId)
    {
        Assert.False(await Store.IsEventHandledAsync(eventId, CancellationToken.None));

        await Store.MarkEventHandledAsync(eventId, _t0, CancellationToken.None);
        await Store.MarkEventHandledAsync(eventId, _t0.AddMinutes(1), CancellationToken.None);

        Assert.True(await Store.IsEventHandledAsync(eventId, CancellationToken.None));
    }

    [Fact]
    public async Task Events_OnlyTheMarkedIdCounts()
    {
        await Store.MarkEventHandledAsync("evt-1", _t0, CancellationToken.None);
        await Store.MarkEventHandledAsync("a/b", _t0, CancellationToken.None);

        Assert.True(await Store.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.False(await Store.IsEventHandledAsync("evt-10", CancellationToken.None));
        Assert.False(await Store.IsEventHandledAsync("evt-", CancellationToken.None));
        Assert.False(await Store.IsEventHandledAsync("a:b", CancellationToken.None));
        Assert.False(await Store.IsEventHandledAsync("a!2Fb", CancellationToken.None));
        Assert.True(await Store.IsEventHandledAsync("a/b", CancellationToken.None));
    }

    // -- Paging through states

    [Fact]
    public async Task QueryStatesAsync_AfterResourceId_ReturnsWhatFollowsInKeyOrder()
    {
        string[] ids =
        [
            Id("vm-c"), Id("VM-B"), Id("vm-a"), Id("vm-a_1"), Id("vm-a.1"),
            Id("ss/virtualMachines/0", type: "virtualMachineScaleSets"), Id("cs-1", type: "cloudServices"),
            Id("vm-a", SubscriptionB), Id("vm-z", SubscriptionB),
        ];
        await WriteAsync(ids.Select(id => State(id)).ToArray());
        var keyOrder = ids
            .Select(id => (Id: id, Key: (ResourceKey.PartitionKey(new ResourceId(id)), ResourceKey.RowKey(new ResourceId(id)))))
            .OrderBy(k => k.Key.Item1, StringComparer.Ordinal)
            .ThenBy(k => k.Key.Item2, StringComparer.Ordinal)
            .Select(k => k.Id)
            .ToList();

        Assert.Equal(keyOrder, await IdsAsync(StateQuery.All));
        for (var i = 0; i < keyOrder.Count; i++)
        {
            Assert.Equal(keyOrder.Skip(i + 1), await IdsAsync(new StateQuery { AfterResourceId = keyOrder[i] }));
        }
    }

    [Fact]
    public async Task QueryStatesAsync_AfterResourceId_AnyCasingAndUnstoredIds()
    {
        await WriteAsync(State(Id("vm-a")), State(Id("vm-c")), State(Id("vm-a", SubscriptionB)));

        Assert.Equal([Id("vm-c"), Id("vm-a", SubscriptionB)], await IdsAsync(new StateQuery { AfterResourceId = Id("VM-A").ToUpperInvariant() }));
        Assert.Equal([Id("vm-c"), Id("vm-a", SubscriptionB)], await IdsAsync(new StateQuery { AfterResourceId = Id("vm-b") }));
        Assert.Equal([Id("vm-a", SubscriptionB)], await IdsAsync(new StateQuery { AfterResourceId = Id("vm-zzz") }));
        Assert.Empty(await IdsAsync(new StateQuery { AfterResourceId = Id("vm-a", "33333333-3333-3333-3333-333333333333") }));
        Assert.Equal(
            [Id("vm-a"), Id("vm-c"), Id("vm-a", SubscriptionB)],
            await IdsAsync(new StateQuery { AfterResourceId = $"/subscriptions/{SubscriptionA}" }));
    }

    [Fact]
    public async Task QueryStatesAsync_AfterResourceId_CombinesWithFilters()
    {
        await WriteAsync(
            State(Id("vm-1"), "ActionRequired"),
            State(Id("vm-2")),
            State(Id("vm-3"), "ActionRequired"),
            State(Id("vm-4"), "Unknown"),
            State(Id("vm-0", SubscriptionB), "ActionRequired"),
            State(Id("vm-5", SubscriptionB)));

        Assert.Equal(
            [Id("vm-3"), Id("vm-0", SubscriptionB)],
            await IdsAsync(new StateQuery { Status = "ActionRequired", AfterResourceId = Id("vm-1") }));
        Assert.Equal(
            [Id("vm-3"), Id("vm-0", SubscriptionB)],
            await IdsAsync(new StateQuery { Status = "ActionRequired", AfterResourceId = Id("vm-2") }));
        Assert.Equal(
            [Id("vm-3")],
            await IdsAsync(new StateQuery { Status = "ActionRequired", SubscriptionId = SubscriptionA, AfterResourceId = Id("vm-1") }));
        Assert.Equal(
            [Id("vm-0", SubscriptionB)],
            await IdsAsync(new StateQuery { Action = "GuestUpdate", AfterResourceId = Id("vm-3") }));
        Assert.Empty(await IdsAsync(new StateQuery { Status = "Unknown", AfterResourceId = Id("vm-4") }));
    }

    [Fact]
    public async Task QueryStatesAsync_PagesOfTwo_CoverEveryStateOnce()
    {
        var ids = Enumerable.Range(0, 11).Select(i => Id($"vm-{i:00}", i % 4 == 0 ? SubscriptionB : SubscriptionA)).ToList();
        await WriteAsync(ids.Select(id => State(id, "ActionRequired")).ToArray());

        var seen = new List<string>();
        string? after = null;
        while (true)
        {
            var page = (await Store.QueryStatesAsync(new StateQuery { Status = "ActionRequired", AfterResourceId = after }, CancellationToken.None).Take(2).ToListAsync())
                .Select(s => s.State.ResourceId)
                .ToList();
            if (page.Count == 0)
            {
                break;
            }

            seen.AddRange(page);
            after = page[^1];
        }

        Assert.Equal(await IdsAsync(StateQuery.All), seen);
        Assert.Equal(11, seen.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }
}
