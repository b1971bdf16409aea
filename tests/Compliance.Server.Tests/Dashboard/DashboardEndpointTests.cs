using System.Net;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Microsoft.Extensions.Time.Testing;
using Compliance.Server.Dashboard;
using NSubstitute;
using static Compliance.Server.Tests.Dashboard.DashboardTestData;

namespace Compliance.Server.Tests.Dashboard;

[Collection(AzuriteCollection.Name)]
public sealed class DashboardEndpointTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Get_EmptyStore_AnswersTheHtmlPageWithHeadersThatForbidScriptsAndSniffing()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of());

        using var response = await app.Http.GetAsync(new Uri("api/dashboard", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(
            ["default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"],
            response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(["nosniff"], response.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["no-store"], response.Headers.GetValues("Cache-Control"));
        Assert.Equal(["no-referrer"], response.Headers.GetValues("Referrer-Policy"));
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total\">0</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"trend-empty\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_ManyScans_KeepsTheNewestCompletedOnesOldestFirst()
    {
        // Newest first, as the store lists them; every fifth one never completed.
        var scans = Enumerable.Range(0, 45)
            .Select(i => Scan($"scan-{i:D2}", Now.AddHours(-i), Summary(i, 0, 0, 0, 0, 0), completed: i % 5 != 2))
            .ToList();
        var store = Store(scans: scans);

        var data = await DashboardView.LoadAsync(store.Verdicts, store.Ledger, Clock(), CancellationToken.None);

        var expected = scans.Where(s => s.CompletedAt is not null).Take(30).Reverse().Select(s => s.ScanId);
        Assert.Equal(expected, data.Scans.Select(s => s.ScanId));
        Assert.Equal("scan-36", data.Scans[0].ScanId);
        Assert.Equal("scan-00", data.Scans[^1].ScanId);
    }

    [Fact]
    public async Task LoadAsync_States_SplitsMachinesByStatusAndKeepsEveryCloudService()
    {
        var vm = Resource("vm-action");
        var instance = Resource("pool_1", kind: "ScaleSetInstance");
        var compliant = Resource("vm-ok", status: "Compliant");
        var unknown = Resource("vm-stopped", status: "Unknown");
        var lastKnown = Resource("vm-stopped", status: "ActionRequired", actions: ["KvaShadowing"]);
        var exempt = Resource("vm-exempt", status: "Exempt");
        var cloudAction = Resource("cs-old", kind: "CloudService");
        var cloudCompliant = Resource("cs-new", kind: "CloudService", status: "Compliant");
        var summary = Summary(2, 3, 1, 1, 3, 1);
        var store = Store(
            states: [State(vm), State(cloudAction), State(compliant), State(unknown, lastKnown), State(instance), State(exempt), State(cloudCompliant)],
            summary: (summary, "scan-7", Now.AddMinutes(-1)));

        var data = await DashboardView.LoadAsync(store.Verdicts, store.Ledger, Clock(), CancellationToken.None);

        Assert.Same(summary, data.Summary);
        Assert.Equal("scan-7", data.ScanId);
        Assert.Equal(Now.AddMinutes(-1), data.UpdatedAt);
        Assert.Equal(Now, data.GeneratedAt);
        Assert.Equal([vm.Id, instance.Id], data.ActionRequired.Shown.Select(r => r.Id));
        Assert.Equal(2, data.ActionRequired.Total);
        var shownUnknown = Assert.Single(data.Unknown.Shown);
        Assert.Equal(unknown.Id, shownUnknown.Id);
        Assert.Equal("ActionRequired", shownUnknown.LastKnown?.Status);
        Assert.Equal(["KvaShadowing"], shownUnknown.LastKnown?.Actions);
        Assert.Equal(["GUEST_UPDATE_MISSING"], shownUnknown.LastKnown?.FindingCodes);
        Assert.Equal([cloudAction.Id, cloudCompliant.Id], data.CloudServices.Shown.Select(r => r.Id));
        Assert.Empty(data.Scans);
    }

    [Fact]
    public async Task LoadAsync_MoreRowsThanATableShows_ShowsTheFirstAndCountsAll()
    {
        var machines = Enumerable.Range(0, DashboardView.MaxRows + 2).Select(i => State(Resource($"vm-{i:D4}"))).ToList();
        var store = Store(states: machines);

        var data = await DashboardView.LoadAsync(store.Verdicts, store.Ledger, Clock(), CancellationToken.None);

        Assert.Equal(DashboardView.MaxRows, data.ActionRequired.Shown.Count);
        Assert.Equal(DashboardView.MaxRows + 2, data.ActionRequired.Total);
        Assert.Equal("vm-0000", data.ActionRequired.Shown[0].Name);
        Assert.Equal($"vm-{DashboardView.MaxRows - 1:D4}", data.ActionRequired.Shown[^1].Name);
    }

    [Fact]
    public async Task LoadAsync_NothingStored_HasZeroCountersAndNoScan()
    {
        var store = Store();

        var data = await DashboardView.LoadAsync(store.Verdicts, store.Ledger, Clock(), CancellationToken.None);

        Assert.Equal(
            [0, 0, 0, 0, 0],
            [data.Summary.Total, data.Summary.Compliant, data.Summary.ActionRequired, data.Summary.Unknown, data.Summary.Exempt]);
        Assert.Equal(new Dictionary<string, int> { ["GuestUpdate"] = 0, ["KvaShadowing"] = 0, ["MitigationSettings"] = 0 }, data.Summary.ByAction);
        Assert.Null(data.ScanId);
        Assert.Null(data.UpdatedAt);
        Assert.Empty(data.Scans);
        Assert.Equal(0, data.ActionRequired.Total + data.Unknown.Total + data.CloudServices.Total);
    }

    private static (IVerdictStore Verdicts, IScanLedger Ledger) Store(
        IReadOnlyList<ScanRecord>? scans = null,
        IReadOnlyList<StoredState>? states = null,
        (ReportSummary Summary, string ScanId, DateTimeOffset UpdatedAt)? summary = null)
    {
        var verdicts = Substitute.For<IVerdictStore>();
        var ledger = Substitute.For<IScanLedger>();
        ledger.GetSummaryAsync(Arg.Any<CancellationToken>()).Returns(summary);
        ledger.GetScansAsync(Arg.Any<CancellationToken>()).Returns(_ => (scans ?? []).ToAsyncEnumerable());
        verdicts.QueryStatesAsync(StateQuery.All, Arg.Any<CancellationToken>()).Returns(_ => (states ?? []).ToAsyncEnumerable());
        return (verdicts, ledger);
    }

    private static FakeTimeProvider Clock() => new(Now);

    private static StoredState State(ReportResource verdict, ReportResource? lastKnown = null) =>
        new(new ResourceState(verdict, "scan-7", lastKnown, [], [], []), "etag");
}
