using System.Net;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Tests.Hosting;

/// <summary>
/// Each caller of <c>/api</c> has its own limit: over it, that caller gets a 429 problem with <c>Retry-After</c> while
/// the others go on; readiness is not limited. (The callers under the Functions host, by function key or forwarded
/// address, are tested with the worker's middleware.)
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiRateLimitTests(AzuriteFixture azurite)
{
    private const string Key = "an-api-key-of-32-characters-long";

    // One request a minute: the second request of a caller is refused for certain, the test cannot outrun a refill.
    private static readonly Dictionary<string, string?> _onePerMinute = new() { ["Compliance:Api:RequestsPerMinute"] = "1" };

    [Fact]
    public async Task Invoke_AfterRetryAfter_CallerServedAgain()
    {
        // Sixty a minute: a bucket of 60 that gains a request every second.
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?> { ["Compliance:Api:RequestsPerMinute"] = "60" });

        var served = 0;
        TimeSpan? retryAfter = null;
        while (retryAfter is null)
        {
            using var response = await SendAsync(app, "api/summary");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                retryAfter = response.Headers.RetryAfter?.Delta;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True(++served < 200, "200 requests in a row were served at 60 a minute.");
            }
        }

        Assert.InRange(served, 60, 199);
        Assert.Equal(TimeSpan.FromSeconds(1), retryAfter);

        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(300));
        await AssertServedAsync(app, "api/summary");
    }

    [Fact]
    public async Task Invoke_OnItsOwn_CallerIsTheKeyOrTheConnectionNeverForwardedFor()
    {
        await using (var remote = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: new Dictionary<string, string?>(_onePerMinute) { ["Compliance:Api:ReadKey"] = Key }, urls: "http://0.0.0.0:0"))
        {
            await AssertServedAsync(remote, "api/summary", apiKey: Key);
            await AssertRefusedAsync(remote, "api/summary", apiKey: Key);
            // A direct caller could write anything in X-Forwarded-For: it makes no new caller.
            await AssertRefusedAsync(remote, "api/summary", apiKey: Key, forwardedFor: "198.51.100.2");
            // A request without the key is refused by the key check before it reaches the limit.
            using var anonymous = await SendAsync(remote, "api/summary");
            await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);

            // Readiness is not /api and not limited.
            foreach (var attempt in new[] { 1, 2, 3 })
            {
                using var ready = await remote.Http.GetAsync("/");
                Assert.True(ready.StatusCode == HttpStatusCode.OK, $"Readiness {attempt}: {(int)ready.StatusCode}");
            }
        }

        await using var local = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: _onePerMinute);
        await AssertServedAsync(local, "api/summary", forwardedFor: "203.0.113.7");
        await AssertRefusedAsync(local, "api/summary", forwardedFor: "198.51.100.2");
        // On loopback nobody checks a key, so a made-up one is no new caller either.
        await AssertRefusedAsync(local, "api/summary", apiKey: Key);
    }

    [Fact]
    public async Task Invoke_TwoHundredWrongKeys_AddressRefusedAfterTheLimitWhileTheRightKeyElsewhereIsServed()
    {
        // The finding: 200 wrong keys from one address were 200 x 401, without end.
        await using var app = await AppUnderTest.StartAsync(
            azurite, Fleets.Of(Fleets.Vm("web-1")), settings: new Dictionary<string, string?> { ["Compliance:Api:ReadKey"] = Key }, urls: "http://0.0.0.0:0");
        using var guesser = LoopbackClient.From(app.BaseAddress, "127.0.0.2");
        using var dashboard = LoopbackClient.From(app.BaseAddress, "127.0.0.3");

        var statuses = new List<HttpStatusCode>();
        for (var guess = 0; guess < 200; guess++)
        {
            using var response = await SendAsync(guesser, "api/summary", apiKey: $"guess-{guess:D4}-of-the-api-key");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter?.Delta);
            }
        }

        // The default of 10 failures a minute: the eleventh is refused before its key is compared, and so is every later one.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 190)), statuses);
        using (var rightKeyTooLate = await SendAsync(guesser, "api/summary", apiKey: Key))
        {
            await AppUnderTest.AssertProblemAsync(rightKeyTooLate, HttpStatusCode.TooManyRequests);
        }

        using var served = await SendAsync(dashboard, "api/summary", apiKey: Key);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Invoke_BusyAddressWithTheSharedKey_OtherAddressWithTheSameKeyServed()
    {
        // The finding: one bucket per key, so one busy client locked the dashboard out.
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?> { ["Compliance:Api:ReadKey"] = Key, ["Compliance:Api:RequestsPerMinute"] = "3", ["Compliance:Api:CredentialRequestsPerMinute"] = "5" },
            urls: "http://0.0.0.0:0");
        using var busy = LoopbackClient.From(app.BaseAddress, "127.0.0.2");
        using var dashboard = LoopbackClient.From(app.BaseAddress, "127.0.0.3");
        using var third = LoopbackClient.From(app.BaseAddress, "127.0.0.4");

        for (var request = 0; request < 3; request++)
        {
            using var response = await SendAsync(busy, "api/summary", apiKey: Key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using (var overAddress = await SendAsync(busy, "api/summary", apiKey: Key))
        {
            Assert.Contains("This address", await AppUnderTest.AssertProblemAsync(overAddress, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
        }

        using (var other = await SendAsync(dashboard, "api/summary", apiKey: Key))
        {
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // The key's own bucket (5) bounds it across addresses: 3 + 1 served, one more, then none from anywhere.
        using (var fifth = await SendAsync(third, "api/summary", apiKey: Key))
        {
            Assert.Equal(HttpStatusCode.OK, fifth.StatusCode);
        }

        using var overKey = await SendAsync(third, "api/summary", apiKey: Key);
        Assert.Contains("This key", await AppUnderTest.AssertProblemAsync(overKey, HttpStatusCode.TooManyRequests), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("100001")]
    public async Task Start_RequestsPerMinuteOutOfRange_FailsValidation(string value)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?> { ["Compliance:Api:RequestsPerMinute"] = value }));

        Assert.Contains("RequestsPerMinute", error.Message, StringComparison.Ordinal);
    }

    private static async Task AssertServedAsync(AppUnderTest app, string path, string? forwardedFor = null, string? apiKey = null)
    {
        using var response = await SendAsync(app, path, forwardedFor, apiKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} ({apiKey ?? forwardedFor ?? "loopback"}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertRefusedAsync(AppUnderTest app, string path, string? forwardedFor = null, string? apiKey = null)
    {
        using var response = await SendAsync(app, path, forwardedFor, apiKey);
        await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    private static Task<HttpResponseMessage> SendAsync(AppUnderTest app, string path, string? forwardedFor = null, string? apiKey = null) =>
        SendAsync(app.Http, path, forwardedFor, apiKey);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, string path, string? forwardedFor = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await http.SendAsync(request);
    }
}
