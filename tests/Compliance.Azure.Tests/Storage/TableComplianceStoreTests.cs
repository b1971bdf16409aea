using System.Text.Json;
using Compliance.Azure.Storage;
using Compliance.Azure.Tests.Tables;
using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class TableComplianceStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SubscriptionA = "11111111-1111-1111-1111-111111111111";
    private const string SubscriptionB = "22222222-2222-2222-2222-222222222222";
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    private readonly TableStoreTables _tables = TableStoreTables.Create(
        new TableStoreOptions { ConnectionString = azurite.Azurite.ConnectionString, TablePrefix = "s" + Guid.NewGuid().ToString("N")[..12] },
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

    private static string Id(string name, string subscription = SubscriptionA) =>
        $"/subscriptions/{subscription}/resourceGroups/rg-Test/providers/Microsoft.Compute/virtualMachines/{name}";

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
        var evidence = Assert.IsType<JsonElement>(finding.Evidence["speculationControl"]);
        Assert.Equal(260, evidence.GetProperty("flags").GetInt32());
    }

    [Fact]
    public async Task WriteStatesAsync_Conditions_AreEnforced()
    {
        var first = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));

        var createdTwice = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1")), null)], CancellationToken.None));
        var right = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1", "ActionRequired", _t0.AddHours(1))), first.ETag)], CancellationToken.None));
        var stale = Assert.Single(await Store.WriteStatesAsync([new StateWrite(State(Verdict("vm-1", "Unknown", _t0.AddHours(2))), first.ETag)], CancellationToken.None));

        Assert.False(createdTwice.Written);
        Assert.True(right.Written);
        Assert.NotEqual(first.ETag, right.ETag);
        Assert.False(stale.Written);
        Assert.Equal("ActionRequired", (await Store.GetStateAsync(Id("vm-1"), CancellationToken.None))!.State.Verdict.Status);
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
    public async Task GetStatesAsync_ManyIdsAnyCasing_FindsThem()
    {
        var ids = Enumerable.Range(0, 40).Select(i => Id($"vm-{i:00}", i % 3 == 0 ? SubscriptionB : SubscriptionA)).ToList();
        await Store.WriteStatesAsync(ids.Take(30).Select(id => new StateWrite(State(Verdict(id[(id.LastIndexOf('/') + 1)..], subscription: id.Contains(SubscriptionB, StringComparison.Ordinal) ? SubscriptionB : SubscriptionA)), null)).ToList(), CancellationToken.None);

        var found = await Store.GetStatesAsync(ids.Select(id => id.ToUpperInvariant()).ToList(), CancellationToken.None);

        Assert.Equal(30, found.Count);
        Assert.All(ids.Take(30), id => Assert.True(found.ContainsKey(id)));
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
        Assert.Empty(await NamesAsync(new StateQuery { Status = "' or PartitionKey ne '" }));
    }

    [Fact]
    public async Task History_IsIdempotentAndNewestFirst()
    {
        var older = new HistoryEntry(Id("vm-1"), _t0, "scan-1", null, "Compliant", [], [], []);
        var newer = new HistoryEntry(Id("vm-1"), _t0.AddHours(6), "scan-2", "Compliant", "ActionRequired", [], ["GuestUpdate"], ["GUEST_UPDATE_MISSING"]);

        await Store.AppendHistoryAsync([older, newer], CancellationToken.None);
        await Store.AppendHistoryAsync([newer], CancellationToken.None);
        await Store.AppendHistoryAsync([new HistoryEntry(Id("vm-2"), _t0, "scan-1", null, "Unknown", [], [], ["NOT_RUNNING"])], CancellationToken.None);

        var history = await Store.GetHistoryAsync(Id("vm-1").ToUpperInvariant(), CancellationToken.None).ToListAsync();
        Assert.Equal(Json(new[] { newer, older }), Json(history));
    }

    [Fact]
    public async Task ScansAndSummary_RoundTrip()
    {
        var summary = new ReportSummary(3, 1, 1, 1, 0, new Dictionary<string, int> { ["GuestUpdate"] = 1, ["KvaShadowing"] = 0 });
        var digest = new PendingNotification(new NotificationMessage("d", NotificationTypes.ScanCompleted, "/scans/b", _t0, "{}"), ["webhook"]);
        await Store.SaveScanAsync(new ScanRecord("a", _t0, _t0.AddMinutes(1), summary, 3, 0, [], null), CancellationToken.None);
        await Store.SaveScanAsync(new ScanRecord("b", _t0.AddHours(6), null, summary, 0, 0, [new ReportError("sub", "boom")], digest), CancellationToken.None);
        await Store.SaveSummaryAsync(summary, "a", _t0, CancellationToken.None);

        var scans = await Store.GetScansAsync(CancellationToken.None).ToListAsync();
        var stored = await Store.GetSummaryAsync(CancellationToken.None);

        Assert.Equal(["b", "a"], scans.Select(s => s.ScanId));
        Assert.Equal(Json(digest), Json(scans[0].Digest));
        Assert.Equal("boom", Assert.Single(scans[0].Errors).Message);
        Assert.Equal(TimeSpan.FromMinutes(1), scans[1].Duration);
        Assert.Equal(3, stored!.Value.Summary.Total);
        Assert.Equal(1, stored.Value.Summary.ByAction["GuestUpdate"]);
        Assert.Equal("a", stored.Value.ScanId);
    }

    [Fact]
    public async Task RenewLease_ExtendsOnlyTheHoldersVersion()
    {
        var held = await Store.TryAcquireLeaseAsync("renewed", _t0, _t0.AddMinutes(1), CancellationToken.None);
        var renewed = await Store.RenewLeaseAsync(held!, _t0.AddMinutes(3), CancellationToken.None);
        var stillHeld = await Store.TryAcquireLeaseAsync("renewed", _t0.AddMinutes(2), _t0.AddMinutes(4), CancellationToken.None);
        var staleRenewal = await Store.RenewLeaseAsync(held!, _t0.AddMinutes(5), CancellationToken.None);
        var takenOver = await Store.TryAcquireLeaseAsync("renewed", _t0.AddMinutes(4), _t0.AddMinutes(6), CancellationToken.None);
        var renewalAfterTakeover = await Store.RenewLeaseAsync(renewed!, _t0.AddMinutes(7), CancellationToken.None);
        await Store.ReleaseLeaseAsync(takenOver!, CancellationToken.None);
        var renewalAfterRelease = await Store.RenewLeaseAsync(takenOver!, _t0.AddMinutes(8), CancellationToken.None);

        Assert.NotNull(renewed);
        Assert.Equal(_t0.AddMinutes(3), renewed!.ExpiresAt);
        Assert.NotEqual(held!.ETag, renewed.ETag);
        Assert.Null(stillHeld);
        Assert.Null(staleRenewal);
        Assert.NotNull(takenOver);
        Assert.Null(renewalAfterTakeover);
        Assert.Null(renewalAfterRelease);
    }

    [Fact]
    public async Task Leases_OneHolderAtATime_FreedByReleaseOrByRunningOut()
    {
        var first = await Store.TryAcquireLeaseAsync("dispatch", _t0, _t0.AddMinutes(5), CancellationToken.None);
        var whileHeld = await Store.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(1), _t0.AddMinutes(6), CancellationToken.None);
        var otherName = await Store.TryAcquireLeaseAsync("other", _t0, _t0.AddMinutes(5), CancellationToken.None);
        await Store.ReleaseLeaseAsync(first!, CancellationToken.None);
        var afterRelease = await Store.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(1), _t0.AddMinutes(6), CancellationToken.None);
        var afterRunningOut = await Store.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(7), _t0.AddMinutes(12), CancellationToken.None);

        // The holder whose lease ran out cannot delete its successor's.
        await Store.ReleaseLeaseAsync(afterRelease!, CancellationToken.None);
        var whileSuccessorHolds = await Store.TryAcquireLeaseAsync("dispatch", _t0.AddMinutes(8), _t0.AddMinutes(13), CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(whileHeld);
        Assert.NotNull(otherName);
        Assert.NotNull(afterRelease);
        Assert.NotNull(afterRunningOut);
        Assert.Null(whileSuccessorHolds);
        Assert.NotEqual(afterRelease!.ETag, afterRunningOut!.ETag);
    }

    // Records holding lists compare their lists by reference; compare what is stored instead.
    private static string Json<T>(T value) => JsonSerializer.Serialize(value);
}
