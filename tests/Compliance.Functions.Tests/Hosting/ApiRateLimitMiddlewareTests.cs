using Compliance.Functions.Hosting;
using Compliance.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Tests.Hosting;

/// <summary>
/// Under the host each request of an HTTP trigger counts against its function key (header or <c>?code=</c>) and the
/// address the platform's front end appended to <c>X-Forwarded-For</c>. Over it, a 429 problem with
/// <c>Retry-After</c>, the function is not run, and the log names the caller without its key.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiRateLimitMiddlewareTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Invoke_OverTheLimit_429ForThatCallerOnlyAndNoKeyLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using var harness = await FunctionsHarness.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("a")),
            new Dictionary<string, string?> { ["Compliance:Api:RequestsPerMinute"] = "1", ["Compliance:Api:CredentialRequestsPerMinute"] = "1" },
            logs);
        var middleware = new ApiRateLimitMiddleware(harness.Services.GetRequiredService<ApiRateLimiter>());

        async Task<bool> ServedAsync(string path, string? functionsKey = null, string? forwardedFor = null)
        {
            var headers = new Dictionary<string, string>();
            if (functionsKey is not null)
            {
                headers["x-functions-key"] = functionsKey;
            }

            if (forwardedFor is not null)
            {
                headers["X-Forwarded-For"] = forwardedFor;
            }

            var http = harness.Request("GET", path, headers: headers);
            var ran = false;
            await middleware.Invoke(new TestFunctionContext(harness.Services, "Summary", http), _ =>
            {
                ran = true;
                return Task.CompletedTask;
            });
            if (!ran)
            {
                var answer = HttpAnswer.Of(http);
                Assert.Contains("Retry-After", answer.AssertProblem(429), StringComparison.Ordinal);
                Assert.Matches("^[1-9][0-9]*$", http.Response.Headers.RetryAfter.ToString());
            }

            return ran;
        }

        // A function key's bucket holds across addresses: the host checked the key, so it is one caller wherever it is.
        Assert.True(await ServedAsync("/api/summary", functionsKey: "function-key-a", forwardedFor: "203.0.113.1"));
        Assert.False(await ServedAsync("/api/summary", functionsKey: "function-key-a", forwardedFor: "203.0.113.2"));
        // The same key in the query is the same key, on any route; another key is another caller.
        Assert.False(await ServedAsync("/api/scans?code=function-key-a", forwardedFor: "203.0.113.3"));
        Assert.True(await ServedAsync("/api/summary", functionsKey: "function-key-b", forwardedFor: "203.0.113.4"));
        // The address is the last of X-Forwarded-For; earlier entries are the client's own word.
        Assert.True(await ServedAsync("/api/summary", forwardedFor: "203.0.113.7:50123"));
        Assert.False(await ServedAsync("/api/summary", forwardedFor: "10.0.0.1, 203.0.113.7:50124"));
        // An IPv6 client is its /64.
        Assert.True(await ServedAsync("/api/summary", forwardedFor: "[2001:db8:1:2::1]:443"));
        Assert.False(await ServedAsync("/api/summary", forwardedFor: "2001:db8:1:2::ffff"));
        // Health is anonymous: the host checks no key there, so a made-up one is no key at all.
        Assert.True(await ServedAsync("/api/health", forwardedFor: "198.51.100.2"));
        Assert.False(await ServedAsync("/api/health", functionsKey: "made-up-key", forwardedFor: "198.51.100.2"));
        Assert.True(await ServedAsync("/api/health", functionsKey: "made-up-key", forwardedFor: "198.51.100.3"));
        Assert.True(await ServedAsync("/api/health", functionsKey: "made-up-key", forwardedFor: "198.51.100.4"));

        // Timer and queue invocations have no HTTP context and are never limited.
        foreach (var attempt in new[] { 1, 2, 3 })
        {
            var ran = false;
            await middleware.Invoke(new TestFunctionContext(harness.Services, "CheckMachines"), _ =>
            {
                ran = true;
                return Task.CompletedTask;
            });
            Assert.True(ran, $"Queue invocation {attempt} was refused.");
        }

        var refusals = logs.Entries.Where(e => e.Category == typeof(ApiRateLimiter).FullName).ToList();
        Assert.Equal(5, refusals.Count);
        Assert.All(refusals, r => Assert.Equal(LogLevel.Information, r.Level));
        Assert.All(logs.Entries.SelectMany(e => e.Texts()), text => Assert.DoesNotContain("function-key-a", text, StringComparison.Ordinal));
        Assert.All(logs.Entries.SelectMany(e => e.Texts()), text => Assert.DoesNotContain("made-up-key", text, StringComparison.Ordinal));
    }
}
