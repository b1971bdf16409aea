using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Tests.Hosting;

/// <summary>
/// Each caller of <c>/api</c> has its own limit: over it, that caller gets a 429 problem with <c>Retry-After</c> while
/// the others go on; readiness, the invocation paths and the Event Grid webhook are not limited.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiRateLimitTests(AzuriteFixture azurite)
{
    private const string Key = "an-api-key-of-32-characters-long";

    // One request a minute: the second request of a caller is refused for certain, the test cannot outrun a refill.
    private static readonly Dictionary<string, string?> _onePerMinute = new() { ["Compliance:Api:RequestsPerMinute"] = "1" };

    [Fact]
    public async Task Invoke_UnderTheHostOverTheLimit_429ForThatCallerOnly()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), hosted: true, settings: _onePerMinute, logs: logs);

        await AssertServedAsync(app, "api/summary", functionsKey: "function-key-a");
        using (var refused = await SendAsync(app, "api/summary", functionsKey: "function-key-a"))
        {
            var detail = await AppUnderTest.AssertProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.Contains("Retry-After", detail, StringComparison.Ordinal);
            Assert.Matches("^[1-9][0-9]*$", Assert.Single(refused.Headers.GetValues("Retry-After")));
            Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }

        // The same key in the query is the same caller, on any route; another key is another caller.
        await AssertRefusedAsync(app, "api/scans?code=function-key-a");
        await AssertServedAsync(app, "api/summary", functionsKey: "function-key-b");

        // Without a key the caller is the last address of X-Forwarded-For, the one the front end appended (with or
        // without its port).
        await AssertServedAsync(app, "api/summary", forwardedFor: "203.0.113.7:50123");
        // Entries before the last are the client's own word: a made-up one makes no new caller.
        await AssertRefusedAsync(app, "api/summary", forwardedFor: "10.0.0.1, 203.0.113.7:50124");
        await AssertServedAsync(app, "api/summary", forwardedFor: "198.51.100.2");
        // An IPv6 client is its /64.
        await AssertServedAsync(app, "api/summary", forwardedFor: "[2001:db8:1:2::1]:443");
        await AssertRefusedAsync(app, "api/summary", forwardedFor: "2001:db8:1:2::ffff");
        await AssertServedAsync(app, "api/summary", forwardedFor: "2001:db8:1:3::1");
        // Health is anonymous, so the host checks no key there: a made-up key does not make a new caller.
        await AssertRefusedAsync(app, "api/health", functionsKey: "made-up-key", forwardedFor: "198.51.100.2");

        // The host's own calls come from loopback too; readiness and the invocations are not /api and not limited.
        await AssertServedAsync(app, "api/summary");
        await AssertRefusedAsync(app, "api/summary");
        foreach (var attempt in new[] { 1, 2, 3 })
        {
            using var ready = await app.Http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            using var invocation = new HttpRequestMessage(HttpMethod.Post, "/ScheduledScan")
            {
                Content = new StringContent("""{ "Data": { "timer": { "IsPastDue": false } }, "Metadata": {} }""", Encoding.UTF8, "application/json"),
            };
            using var invoked = await app.Http.SendAsync(invocation);
            Assert.True(invoked.StatusCode == HttpStatusCode.OK, $"Invocation {attempt}: {(int)invoked.StatusCode}");
        }

        var refusals = logs.Entries.Where(e => e.Category == "Compliance.Functions.Hosting.ApiRateLimit").ToList();
        Assert.Equal(6, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(LogLevel.Information, r.Level));
        var callers = refusals.Select(r => r.State.Single(p => p.Key == "Caller").Value).ToList();
        Assert.Matches("^key:[0-9A-F]{12}$", callers[0]);
        Assert.Equal(callers[0], callers[1]);
        Assert.Equal(["ip:203.0.113.7", "ip:2001:db8:1:2::/64", "ip:198.51.100.2", "ip:127.0.0.1"], callers[2..]);
    }

    [Fact]
    public async Task Invoke_AfterRetryAfter_CallerServedAgain()
    {
        // Sixty a minute: a bucket of 60 that gains a request every second.
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            hosted: true,
            settings: new Dictionary<string, string?> { ["Compliance:Api:RequestsPerMinute"] = "60" });

        var served = 0;
        TimeSpan? retryAfter = null;
        while (retryAfter is null)
        {
            using var response = await SendAsync(app, "api/summary", functionsKey: "function-key-a");
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
        await AssertServedAsync(app, "api/summary", functionsKey: "function-key-b");

        await Task.Delay(retryAfter.Value + TimeSpan.FromMilliseconds(300));
        await AssertServedAsync(app, "api/summary", functionsKey: "function-key-a");
    }

    [Fact]
    public async Task Invoke_OnItsOwn_CallerIsTheKeyOrTheConnectionNeverForwardedFor()
    {
        await using (var remote = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: new Dictionary<string, string?>(_onePerMinute) { ["Compliance:Api:Key"] = Key }, urls: "http://0.0.0.0:0"))
        {
            await AssertServedAsync(remote, "api/summary", apiKey: Key);
            await AssertRefusedAsync(remote, "api/summary", apiKey: Key);
            // A direct caller could write anything in X-Forwarded-For: it makes no new caller.
            await AssertRefusedAsync(remote, "api/summary", apiKey: Key, forwardedFor: "198.51.100.2");
            // A request without the key is refused by the key check before it reaches the limit.
            using var anonymous = await SendAsync(remote, "api/summary");
            await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);

            // Event Grid's deliveries are not limited (see ApiRateLimit): a burst of them is not refused.
            foreach (var attempt in new[] { 1, 2, 3 })
            {
                var validation = await remote.Emulator.ValidateWebhookAsync(new Uri(remote.BaseAddress, $"api/events?code={Key}"));
                Assert.True(validation.Accepted, $"Delivery {attempt}: {validation.Body}");
            }
        }

        await using var local = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: _onePerMinute);
        await AssertServedAsync(local, "api/summary", forwardedFor: "203.0.113.7");
        await AssertRefusedAsync(local, "api/summary", forwardedFor: "198.51.100.2");
        // On loopback nobody checks a key, so a made-up one is no new caller either.
        await AssertRefusedAsync(local, "api/summary", apiKey: Key);
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

    private static async Task AssertServedAsync(AppUnderTest app, string path, string? functionsKey = null, string? forwardedFor = null, string? apiKey = null)
    {
        using var response = await SendAsync(app, path, functionsKey, forwardedFor, apiKey);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} ({functionsKey ?? apiKey ?? forwardedFor ?? "loopback"}): {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task AssertRefusedAsync(AppUnderTest app, string path, string? functionsKey = null, string? forwardedFor = null, string? apiKey = null)
    {
        using var response = await SendAsync(app, path, functionsKey, forwardedFor, apiKey);
        await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.TooManyRequests);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
    }

    private static async Task<HttpResponseMessage> SendAsync(AppUnderTest app, string path, string? functionsKey = null, string? forwardedFor = null, string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (functionsKey is not null)
        {
            request.Headers.Add("x-functions-key", functionsKey);
        }

        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        if (apiKey is not null)
        {
            request.Headers.Add("X-Api-Key", apiKey);
        }

        return await app.Http.SendAsync(request);
    }
}
