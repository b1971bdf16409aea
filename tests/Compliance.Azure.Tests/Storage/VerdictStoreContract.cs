using System.Text.Json;
using Compliance.Core.Inventory;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="IVerdictStore"/> does, run against the Table store on Azurite and against the one in memory, so
/// that the scans and tests that use the one in memory see what production sees.
/// </summary>
public abstract class VerdictStoreContract
{
    private const string SubscriptionA = "11111111-1111-1111-1111-111111111111";
    private const string SubscriptionB = "22222222-2222-2222-2222-222222222222";
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    /// <summary>The store under test; every instance it returns sees the same data.</summary>
    protected abstract IVerdictStore Store { get; }

    private static string Id(string name, string subscription = SubscriptionA, string type = "virtualMachines") =>
        $"/subscriptions/{subscription}/resourceGroups/rg-Test/providers/Microsoft.Compute/{type}/{name}";

    private static ReportResource Verdict(string name, string status = "Compliant", DateTimeOffset? at = null, string subscription = SubscriptionA, params string[] actions) => new(
        Id(name, subscription),
        "VirtualMachine",
        name,
        "Windows",
        status,
        actions,
        [new ReportFinding("BTI_MICROCODE_NOT_EXPOSED", "Info", "by design <b>&</b> 'quoted'", new Dictionary<string, object?> { ["speculationControl"] = new Dictionary<string, object?> { ["status"] = "ok", ["flags"] = 260u } })],
        subscription,
        "rg-Test",
        "westeurope",
        at ?? _t0);

    private static ResourceState State(ReportResource verdict) => new(verdict, "scan-1", null, [], [], []);

    private static ResourceState StateOf(string id, string status = "Compliant") => new(
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

    // Records holding lists compare their lists by reference; compare what is stored instead.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value);

    // -- States

    [Fact]
    public async Task WriteAndRead_RoundTripsEverythingOfAState()
    {
        var message = new NotificationMessage("m-1", NotificationTypes.GuestUpdateRequired, Id("vm-1"), _t0, "{\"data\":\"" + new string('x', 70_000) + "\"}");
        var state = new ResourceState(
            Verdict("vm-1", "Unknown"),
            "scan-7",
            Verdict("vm-1", "ActionRequired", _t0.AddDays(-1), SubscriptionA, "GuestUpdate"),
            [new OpenAction("GuestUpdate", _t0.AddDays(-1))],
            [new HistoryEntry(Id("vm-1"), _t0, "scan-7", "ActionRequired", "Unknown", ["GuestUpdate"], [], ["NOT_RUNNING"])],
            [new PendingNotification(message, ["webhook", "eventgrid"])]);

        var written = Assert.Single(await Store.WriteStatesAsync([new StateWrite(state, null)], CancellationToken.None));
        var read = await Store.GetStateAsync(Id("vm-1").ToUpperInvariant(), CancellationToken.None);

        Assert.True(written.Written);
        Assert.Equal(written.ETag, read!.ETag);
        Assert.Equal(state.Verdict.Id, read.State.Verdict.Id);
        Assert.Equal("Unknown", read.State.Verdict.Status);
        Assert.Equal(_t0, read.State.CheckedAt);
        Assert.Equal("scan-7", read.State.ScanId);
        Assert.Equal("ActionRequired", read.State.LastKnown!.Status);
        Assert.Equal(state.OpenActions, read.State.OpenActions);
        Assert.Equal(["NOT_RUNNING"], Assert.Single(read.State.PendingHistory).FindingCodes);
        var pending = Assert.Single(read.State.Outbox);
        Assert.Equal(message, pending.Message);
        Assert.Equal(["webhook", "eventgrid"], pending.PendingSinks);
        var finding = Assert.Single(read.State.Verdict.Findings);
        Assert.Equal("by design <b>&</b> 'quoted'", finding.Message);
        Assert.Equal(Json(state.Verdict.Findings[0].Evidence), Json(finding.Evidence));
    }

    [Fact]
    public async Task GetStateAsync_NeverStored_IsNull()
    {
        await WriteAsync(State(Verdict("vm-1")));

        Assert.Null(await Store.GetStateAsync(Id("vm-2"), CancellationToken.None));
        Assert.Null(await Store.GetStateAsync(Id("vm-1", SubscriptionB), CancellationToken.None));
    }

    [Fact]
    public async Task WriteStatesAsync_Conditions_AreEnforced()
    {
        var first = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));

        var createdTwice = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));
        var right = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1", "ActionRequired", _t0.AddHours(1))), first.ETag)], CancellationToken.None));
        var stale = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1", "Unknown", _t0.AddHours(2))), first.ETag)], CancellationToken.None));

        Assert.False(createdTwice.Written);
        Assert.Null(createdTwice.ETag);
        Assert.True(right.Written);
        Assert.NotEqual(first.ETag, right.ETag);
        Assert.False(stale.Written);
        Assert.Equal("ActionRequired", (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.Verdict.Status);
    }

    [Fact]
    public async Task WriteStatesAsync_SameStateAgain_StillChangesTheETag()
    {
        var state = State(Verdict("vm-1"));
        var first = Assert.Single(await Store.WriteStatesAsync([new StateWrite(state, null)], CancellationToken.None));

        var second = Assert.Single(await Store.WriteStatesAsync([new StateWrite(state, first.ETag)], CancellationToken.None));

        Assert.True(second.Written);
        Assert.NotEqual(first.ETag, second.ETag);
        Assert.Equal(second.ETag, (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task WriteStatesAsync_ExpectedETagOfAStateDeletedSince_IsReportedNotThrown()
    {
        var first = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));
        await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None);

        var results = await Store.WriteStatesAsync(
            [new StateWrite(State(Verdict("vm-1", "ActionRequired", _t0.AddHours(1))), first.ETag), new StateWrite(State(Verdict("vm-2")), null)],
            CancellationToken.None);

        Assert.False(Assert.Single(results, r => r.ResourceId == Id("vm-1")).Written);
        Assert.True(Assert.Single(results, r => r.ResourceId == Id("vm-2")).Written);
        Assert.Null(await Store.GetStateAsync(Id("vm-1"), CancellationToken.None));
    }

    [Fact]
    public async Task WriteStatesAsync_ManyRowsAcrossPartitions_OneConflictDoesNotStopTheRest()
    {
        // vm-036 goes to subscription A (even numbers), where it already exists: its create-only write must fail alone.
        await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-036")), null)], CancellationToken.None);
        var writes = Enumerable.Range(0, 250)
            .Select(i => new StateWrite(State(Verdict($"vm-{i:000}", "ActionRequired", subscription: i % 2 == 0 ? SubscriptionA : SubscriptionB)), null))
            .ToList();

        var results = await Store.WriteStatesAsync(writes, CancellationToken.None);

        Assert.Equal(250, results.Count);
        var conflict = Assert.Single(results, r => !r.Written);
        Assert.Equal(Id("vm-036", SubscriptionA), conflict.ResourceId);
        Assert.All(results.Where(r => r.Written), r => Assert.False(string.IsNullOrEmpty(r.ETag)));
        var all = await Store.QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync();
        Assert.Equal(250, all.Count);
        Assert.Equal("Compliant", all.Single(s => s.State.Verdict.Name == "vm-036").State.Verdict.Status);
    }

    [Fact]
    public async Task WriteStatesAsync_AResourceWhoseKeysTheStoreCannotHold_IsRefusedAlone()
    {
        var longName = new string('v', 900);
        var writes = new[] { "vm-a", longName, "vm-b" }.Select(name => new StateWrite(State(Verdict(name)), null)).ToList();

        var results = await Store.WriteStatesAsync(writes, CancellationToken.None);

        var refused = Assert.Single(results, r => r.Refusal is not null);
        Assert.Equal(Id(longName), refused.ResourceId);
        Assert.False(refused.Written);
        Assert.Contains("512", refused.Refusal, StringComparison.Ordinal);
        Assert.Equal(2, results.Count(r => r.Written));
        Assert.Equal(["vm-a", "vm-b"], (await Store.QueryStatesAsync(StateQuery.All, CancellationToken.None).ToListAsync()).Select(s => s.State.Verdict.Name).Order());
    }

    [Fact]
    public async Task WriteStatesAsync_TheLongestStorableName_IsStoredWithItsHistory()
    {
        // The history's partition key is the subscription and the row key together: the binding limit.
        var name = new string('v', ResourceKey.MaxKeyLength - ResourceKey.PartitionKey(new ResourceId(Id("x"))).Length - ResourceKey.RowKey(new ResourceId(Id("x"))).Length + 1);
        Assert.True(ResourceKey.IsStorable(new ResourceId(Id(name)), out _));
        Assert.False(ResourceKey.IsStorable(new ResourceId(Id(name + "v")), out _));

        await WriteAsync(State(Verdict(name)));
        await Store.AppendHistoryAsync([new HistoryEntry(Id(name), _t0, "scan-1", null, "Compliant", [], [], [])], CancellationToken.None);

        Assert.NotNull(await Store.GetStateAsync(Id(name), CancellationToken.None));
        Assert.Single(await Store.GetHistoryAsync(Id(name), CancellationToken.None).ToListAsync());
    }

    [Fact]
    public async Task WriteStatesAsync_WritersRacingWithTheSameETag_ExactlyOneWins()
    {
        var first = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));

        var results = await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(() =>
            Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1", at: _t0.AddHours(i))), first.ETag)], CancellationToken.None))));

        var winner = Assert.Single(results.Select((r, i) => (Written: Assert.Single(r).Written, Hours: i + 1)), r => r.Written).Hours;
        Assert.Equal(_t0.AddHours(winner), (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.CheckedAt);
    }

    [Fact]
    public async Task GetStatesAsync_ManyIdsAnyCasing_FindsThem()
    {
        var ids = Enumerable.Range(0, 40).Select(i => Id($"vm-{i:00}", i % 3 == 0 ? SubscriptionB : SubscriptionA)).ToList();
        await Store.WriteStatesAsync(ids.Take(30).Select(id => new StateWrite(State(Verdict(id[(id.LastIndexOf('/') + 1)..], subscription: id.Contains(SubscriptionB, StringComparison.Ordinal) ? SubscriptionB : SubscriptionA)), null)).ToList(), CancellationToken.None);

        var found = await Store.GetStatesAsync(ids.Select(id => id.ToUpperInvariant()).ToList(), CancellationToken.None);

        Assert.Equal(30, found.Count);
        Assert.All(ids.Take(30), id => Assert.True(found.ContainsKey(id)));
        Assert.All(found, pair => Assert.Equal(pair.Key, pair.Key.ToUpperInvariant()));
    }

    [Fact]
    public async Task QueryStatesAsync_Filters()
    {
        await Store.WriteStatesAsync(
        [
            new StateWrite(State(Verdict("ok")), null),
            new StateWrite(State(Verdict("update", "ActionRequired", null, SubscriptionA, "GuestUpdate")), null),
            new StateWrite(State(Verdict("kva", "ActionRequired", null, SubscriptionB, "KvaShadowing")) with { Outbox = [new PendingNotification(new NotificationMessage("m", NotificationTypes.KvaShadowingRequired, Id("kva", SubscriptionB), _t0, "{}"), ["webhook"])] }, null),
        ], CancellationToken.None);

        async Task<string[]> NamesAsync(StateQuery query) =>
            (await Store.QueryStatesAsync(query, CancellationToken.None).ToListAsync()).Select(s => s.State.Verdict.Name).Order(StringComparer.Ordinal).ToArray();

        Assert.Equal(["kva", "ok", "update"], await NamesAsync(StateQuery.All));
        Assert.Equal(["ok", "update"], await NamesAsync(new StateQuery { SubscriptionId = SubscriptionA.ToUpperInvariant() }));
        Assert.Equal(["kva", "update"], await NamesAsync(new StateQuery { Status = "ActionRequired" }));
        Assert.Equal(["kva"], await NamesAsync(new StateQuery { Action = "KvaShadowing" }));
        Assert.Equal(["update"], await NamesAsync(new StateQuery { Action = "GuestUpdate", SubscriptionId = SubscriptionA }));
        Assert.Equal(["kva"], await NamesAsync(new StateQuery { OnlyWithOutbox = true }));
        Assert.Empty(await NamesAsync(new StateQuery { Status = "actionrequired" }));
        Assert.Empty(await NamesAsync(new StateQuery { Action = "MitigationSettings" }));
        Assert.Empty(await NamesAsync(new StateQuery { Status = "' or PartitionKey ne '" }));
    }

    [Fact]
    public async Task QueryStatesAsync_ResourceIdPrefix_OnlyThoseIdsInAnyCasing()
    {
        var scaleSet = Id("web-vmss", type: "virtualMachineScaleSets");
        await WriteAsync(
            StateOf(scaleSet + "/virtualMachines/0"),
            StateOf(scaleSet + "/virtualMachines/12"),
            StateOf(scaleSet + "2/virtualMachines/0"),
            StateOf(Id("web-vmss")),
            StateOf(Id("web-vmss", SubscriptionB, "virtualMachineScaleSets") + "/virtualMachines/0"));

        var instances = await IdsAsync(new StateQuery { ResourceIdPrefix = scaleSet.ToUpperInvariant() + "/virtualMachines/" });

        Assert.Equal([scaleSet + "/virtualMachines/0", scaleSet + "/virtualMachines/12"], instances.Order(StringComparer.Ordinal));
        Assert.Equal([scaleSet + "/virtualMachines/0"], await IdsAsync(new StateQuery { ResourceIdPrefix = scaleSet + "/virtualMachines/0", Status = "Compliant" }));
    }

    // -- DeleteStateAsync

    [Fact]
    public async Task DeleteStateAsync_RemovesTheStateFromReadsAndQueries_KeepsItsHistory()
    {
        await WriteAsync(StateOf(Id("vm-1")), StateOf(Id("vm-2"), "ActionRequired"), StateOf(Id("vm-3", SubscriptionB)));
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
        await WriteAsync(StateOf(Id("vm-1")));

        Assert.False(await Store.DeleteStateAsync(Id("never-stored"), CancellationToken.None));
        Assert.False(await Store.DeleteStateAsync(Id("vm-1", SubscriptionB), CancellationToken.None));
        Assert.True(await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None));
        Assert.False(await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None));
        Assert.Empty(await IdsAsync(StateQuery.All));
    }

    [Fact]
    public async Task DeleteStateAsync_ThenWrittenAgain_IsCreatedAfresh()
    {
        await WriteAsync(StateOf(Id("vm-1"), "ActionRequired"));
        await Store.DeleteStateAsync(Id("vm-1"), CancellationToken.None);

        var written = Assert.Single(await Store.WriteStatesAsync([new StateWrite(StateOf(Id("vm-1")), null)], CancellationToken.None));

        Assert.True(written.Written);
        Assert.Equal("Compliant", (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.Verdict.Status);
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
        await WriteAsync(ids.Select(id => StateOf(id)).ToArray());
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
        await WriteAsync(StateOf(Id("vm-a")), StateOf(Id("vm-c")), StateOf(Id("vm-a", SubscriptionB)));

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
            StateOf(Id("vm-1"), "ActionRequired"),
            StateOf(Id("vm-2")),
            StateOf(Id("vm-3"), "ActionRequired"),
            StateOf(Id("vm-4"), "Unknown"),
            StateOf(Id("vm-0", SubscriptionB), "ActionRequired"),
            StateOf(Id("vm-5", SubscriptionB)));

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
        await WriteAsync(ids.Select(id => StateOf(id, "ActionRequired")).ToArray());

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

    // -- History

    [Fact]
    public async Task History_IsIdempotentAndNewestFirst()
    {
        var older = new HistoryEntry(Id("vm-1"), _t0, "scan-1", null, "Compliant", [], [], []);
        var newer = new HistoryEntry(Id("vm-1"), _t0.AddHours(6), "scan-2", "Compliant", "ActionRequired", [], ["GuestUpdate"], ["GUEST_UPDATE_MISSING"]);
        var middle = new HistoryEntry(Id("vm-1"), _t0.AddHours(1), "scan-3", "Compliant", "Unknown", [], [], ["NOT_RUNNING"]);

        await Store.AppendHistoryAsync([older, newer], CancellationToken.None);
        await Store.AppendHistoryAsync([newer, middle], CancellationToken.None);
        await Store.AppendHistoryAsync([new HistoryEntry(Id("vm-2"), _t0, "scan-1", null, "Unknown", [], [], ["NOT_RUNNING"])], CancellationToken.None);

        var history = await Store.GetHistoryAsync(Id("vm-1").ToUpperInvariant(), CancellationToken.None).ToListAsync();
        Assert.Equal(Json(new[] { newer, middle, older }), Json(history));
    }

    [Fact]
    public async Task History_SameResourceAndTime_IsOneEntryTheLastWritten()
    {
        var first = new HistoryEntry(Id("vm-1"), _t0, "scan-1", null, "Compliant", [], [], []);
        var again = first with { ScanId = "scan-2" };

        await Store.AppendHistoryAsync([first], CancellationToken.None);
        await Store.AppendHistoryAsync([again with { ResourceId = Id("VM-1") }], CancellationToken.None);

        Assert.Equal("scan-2", Assert.Single(await Store.GetHistoryAsync(Id("vm-1"), CancellationToken.None).ToListAsync()).ScanId);
    }

    [Fact]
    public async Task GetHistoryAsync_NothingWritten_IsEmpty()
    {
        await Store.AppendHistoryAsync([new HistoryEntry(Id("vm-1"), _t0, "scan-1", null, "Compliant", [], [], [])], CancellationToken.None);

        Assert.Empty(await Store.GetHistoryAsync(Id("vm-2"), CancellationToken.None).ToListAsync());
        Assert.Empty(await Store.GetHistoryAsync(Id("vm-1", SubscriptionB), CancellationToken.None).ToListAsync());
    }
}
