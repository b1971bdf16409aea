using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Tests.Hosting;

/// <summary>On its own and reachable from off the machine, the app requires its API key on every /api route.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiKeyMiddlewareTests(AzuriteFixture azurite)
{
    private const string Key = "an-api-key-of-32-characters-long";

    [Fact]
    public async Task Invoke_OffLoopback_EveryApiRouteNeedsTheKey()
    {
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?> { ["Compliance:Api:Key"] = Key },
            urls: "http://0.0.0.0:0");

        foreach (var path in new[] { "api/summary", "api/compliance", "api/compliance.csv", "api/scans", "api/health", "api/openapi.json", "api/nothing" })
        {
            using var anonymous = await app.Http.GetAsync(path);
            var detail = await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized);
            Assert.Contains("X-Api-Key", detail, StringComparison.Ordinal);

            using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
            wrong.Headers.Add("X-Api-Key", Key[..^1] + "X");
            using var refused = await app.Http.SendAsync(wrong);
            await AppUnderTest.AssertProblemAsync(refused, HttpStatusCode.Unauthorized);
        }

        using var withKey = new HttpRequestMessage(HttpMethod.Get, "api/summary");
        withKey.Headers.Add("X-Api-Key", Key);
        using var allowed = await app.Http.SendAsync(withKey);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);

        using var scan = new HttpRequestMessage(HttpMethod.Post, "api/scans") { Content = new StringContent("", Encoding.UTF8, "application/json") };
        using var refusedScan = await app.Http.SendAsync(scan);
        await AppUnderTest.AssertProblemAsync(refusedScan, HttpStatusCode.Unauthorized);

        // The key goes in its header only: one in the query (where logs and proxies keep it) is not taken.
        using var inQuery = await app.Http.GetAsync($"api/summary?code={Key}");
        await AppUnderTest.AssertProblemAsync(inQuery, HttpStatusCode.Unauthorized);
        Assert.Empty(app.Emulator.RunCommands);
    }

    [Fact]
    public async Task Build_BeyondLoopbackWithoutKey_Throws()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), urls: "http://0.0.0.0:0"));

        Assert.Contains("Compliance:Api:Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_KeyShorterThan16_FailsValidation()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?> { ["Compliance:Api:Key"] = "short" },
            urls: "http://0.0.0.0:0"));

        Assert.Contains("Key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_Loopback_NoKeyAsked()
    {
        await using var local = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));

        Assert.Equal("Healthy", (await local.GetJsonAsync("api/health")).GetProperty("status").GetString());
    }
}
