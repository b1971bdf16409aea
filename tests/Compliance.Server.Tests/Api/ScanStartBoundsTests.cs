using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;

namespace Compliance.Server.Tests.Api;

/// <summary>
/// <c>POST /api/scans</c> on <c>compliance serve</c> over HTTP, as whoever holds the operator's key could send it: one scan
/// at a time however fast the requests come, a bounded number of starts an hour, and no subscription outside the scope.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanStartBoundsTests(AzuriteFixture azurite)
{
    private static readonly string _fleet = Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2"), Fleets.Vm("web-3"));

    [Fact]
    public async Task StartScan_FiftyRequestsAtOnce_OneScanAndEveryOther409WithItsLocation()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, _fleet);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await app.Http.PostAsync("api/scans", new StringContent(string.Empty, Encoding.UTF8, "application/json"));
            return (response.StatusCode, Location: response.Headers.Location?.OriginalString, response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
        }));

        var accepted = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Accepted);
        var scanId = JsonDocument.Parse(accepted.Body).RootElement.GetProperty("scanId").GetString()!;
        var refused = answers.Where(a => a.StatusCode != HttpStatusCode.Accepted).ToList();
        Assert.Equal(49, refused.Count);
        Assert.All(refused, a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.All(refused, a => Assert.Equal("application/problem+json", a.MediaType));
        Assert.All(refused, a => Assert.Equal($"/api/scans/{scanId}", a.Location));
        Assert.All(refused, a => Assert.Equal(scanId, JsonDocument.Parse(a.Body).RootElement.GetProperty("scanId").GetString()));

        await AppUnderTest.WaitForScanAsync(app.Http, scanId, TimeSpan.FromMinutes(2));
        Assert.Single(await ScansAsync(app));
        Assert.Equal(3, app.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task StartScan_SeventhWithinTheHour_429WithRetryAfterAndNoScan()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, _fleet, [new("Compliance:Scan:MaxStartsPerHour", "6")]);
        for (var i = 0; i < 6; i++)
        {
            await app.ScanAsync();
        }

        using var response = await app.Http.PostAsync("api/scans", new StringContent(string.Empty, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // The first of the six started moments ago: a place frees up a little under an hour from now.
        Assert.InRange(retryAfter.Value, TimeSpan.FromMinutes(50), TimeSpan.FromHours(1));
        Assert.Contains("Compliance:Scan:MaxStartsPerHour", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(6, (await ScansAsync(app)).Count);
        Assert.Equal(18, app.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task StartScan_SubscriptionOutsideTheScope_400NamingItAndNothingScanned()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, _fleet);
        var body = $$"""{"subscriptions":["{{Fleets.Subscription}}","{{Fleets.OtherSubscription.ToUpperInvariant()}}"]}""";

        using var response = await app.Http.PostAsync("api/scans", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString();
        Assert.Contains(Fleets.OtherSubscription, detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Fleets.Subscription, detail, StringComparison.Ordinal);
        Assert.Empty(await ScansAsync(app));
        await Task.Delay(500);
        Assert.Empty(app.Emulator.RunCommands);

        // Within the scope, the same request is a scan.
        await app.ScanAsync($$"""{"subscriptions":["{{Fleets.Subscription}}"]}""");
        Assert.Equal(3, app.Emulator.RunCommands.Count);
    }

    [Theory]
    [InlineData("{\"subscriptions\":[\"\\ud800\"]}")]
    [InlineData("{\"subscriptions\":[\"\\udfff11111111-1111-1111-1111-111111111111\"]}")]
    public async Task StartScan_LoneSurrogate_400AndNoScan(string body)
    {
        await using var app = await AppUnderTest.StartAsync(azurite, _fleet);

        using var response = await app.Http.PostAsync("api/scans", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await ScansAsync(app));
    }

    [Fact]
    public async Task StartScan_AScanLeftRunningByADeadProcess_DoesNotBlockANewOne()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, _fleet);
        var startedAt = DateTimeOffset.UtcNow.AddHours(-2);
        var dead = new ScanRecord("20000101T000000Z-dead0001", startedAt, null, ComplianceReportBuilder.Summarize([]), 0, 0, [], null) { Batches = 2, PlannedAt = startedAt };
        await app.Ledger.SaveScanAsync(dead, CancellationToken.None);

        await app.ScanAsync();

        var ended = await app.Ledger.GetScanAsync(dead.ScanId, CancellationToken.None);
        Assert.Equal(ScanStatus.Incomplete, ended!.Status);
    }

    private static async Task<List<JsonElement>> ScansAsync(AppUnderTest app) =>
        [.. (await app.GetJsonAsync("api/scans")).EnumerateArray()];
}
