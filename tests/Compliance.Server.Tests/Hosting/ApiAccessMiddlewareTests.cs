using System.Net;
using System.Text;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Tests.Hosting;

/// <summary>
/// On its own, two permissions: the read key reads every GET of /api, the operator key reads and starts scans; no key
/// or a wrong one is a 401, the read key on an operating route a 403. Health stays open; on loopback without keys
/// everything is open.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ApiAccessMiddlewareTests(AzuriteFixture azurite)
{
    private const string ReadKey = "a-read-key-of-32-characters-long";
    private const string OperatorKey = "an-operator-key-of-32-characters";

    private static readonly string[] _readPaths =
        ["api/summary", "api/compliance", "api/compliance.csv", $"api/compliance{Fleets.VmId("web-1")}", "api/scans", "api/scans/none", "api/dashboard", "api/openapi.json"];

    [Fact]
    public async Task Invoke_ReadAndOperatorKeys_EachGrantsItsPermission()
    {
        // Many refusals from one address on purpose: the limit on failed authentications is ApiRateLimitTests' subject.
        await using var app = await StartAsync(new() { ["Compliance:Api:ReadKey"] = ReadKey, ["Compliance:Api:OperatorKey"] = OperatorKey, ["Compliance:Api:FailedAuthenticationsPerMinute"] = "1000" });

        foreach (var path in _readPaths.Append("api/nothing"))
        {
            using var anonymous = await SendAsync(app, HttpMethod.Get, path, null);
            Assert.Contains("X-Api-Key", await AppUnderTest.AssertProblemAsync(anonymous, HttpStatusCode.Unauthorized), StringComparison.Ordinal);
            using var wrong = await SendAsync(app, HttpMethod.Get, path, ReadKey[..^1] + "X");
            await AppUnderTest.AssertProblemAsync(wrong, HttpStatusCode.Unauthorized);
            // A longer key that starts with the right one is as wrong.
            using var longer = await SendAsync(app, HttpMethod.Get, path, ReadKey + "X");
            await AppUnderTest.AssertProblemAsync(longer, HttpStatusCode.Unauthorized);

            foreach (var key in new[] { ReadKey, OperatorKey })
            {
                using var allowed = await SendAsync(app, HttpMethod.Get, path, key);
                Assert.True(
                    allowed.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden),
                    $"GET {path} with the {(key == ReadKey ? "read" : "operator")} key: {(int)allowed.StatusCode}");
            }
        }

        using (var anonymousScan = await SendAsync(app, HttpMethod.Post, "api/scans", null))
        {
            await AppUnderTest.AssertProblemAsync(anonymousScan, HttpStatusCode.Unauthorized);
        }

        using (var readerScan = await SendAsync(app, HttpMethod.Post, "api/scans", ReadKey))
        {
            Assert.Contains("operator key", await AppUnderTest.AssertProblemAsync(readerScan, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        }

        Assert.Empty(app.Emulator.RunCommands);
        using var operatorScan = await SendAsync(app, HttpMethod.Post, "api/scans", OperatorKey);
        Assert.Equal(HttpStatusCode.Accepted, operatorScan.StatusCode);

        // Health stays open for probes; the key goes in its header only, one in the query is not taken.
        Assert.Equal("Healthy", (await app.GetJsonAsync("api/health")).GetProperty("status").GetString());
        using var inQuery = await app.Http.GetAsync($"api/summary?code={ReadKey}");
        await AppUnderTest.AssertProblemAsync(inQuery, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Invoke_NoOperatorKeyConfigured_OperatingRoutesForbidden()
    {
        // Key is the older name of ReadKey.
        await using var app = await StartAsync(new() { ["Compliance:Api:Key"] = ReadKey });

        using var read = await SendAsync(app, HttpMethod.Get, "api/summary", ReadKey);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        using var scan = await SendAsync(app, HttpMethod.Post, "api/scans", ReadKey);
        Assert.Contains("No operator key configured", await AppUnderTest.AssertProblemAsync(scan, HttpStatusCode.Forbidden), StringComparison.Ordinal);
        Assert.Empty(app.Emulator.RunCommands);
    }

    [Theory]
    [InlineData("Compliance:Api:ReadKey", "short")]
    [InlineData("Compliance:Api:Key", "short")]
    [InlineData("Compliance:Api:OperatorKey", "short")]
    [InlineData("Compliance:Api:OperatorKey", ReadKey)]
    public async Task Start_InvalidKeys_FailsValidation(string setting, string value)
    {
        var settings = new Dictionary<string, string?> { [setting] = value };
        if (setting != "Compliance:Api:ReadKey")
        {
            settings["Compliance:Api:ReadKey"] = ReadKey;
        }

        if (setting == "Compliance:Api:Key")
        {
            settings.Remove("Compliance:Api:ReadKey");
        }

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartAsync(settings));

        Assert.Contains(setting.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invoke_LoopbackWithoutKeys_EverythingOpen()
    {
        await using var local = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));

        foreach (var path in _readPaths)
        {
            using var response = await local.Http.GetAsync(path);
            Assert.True(response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden), $"GET {path}: {(int)response.StatusCode}");
        }

        await local.ScanAsync();
    }

    private Task<AppUnderTest> StartAsync(Dictionary<string, string?> settings) =>
        AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), settings: settings, urls: "http://0.0.0.0:0");

    private static async Task<HttpResponseMessage> SendAsync(AppUnderTest app, HttpMethod method, string path, string? key)
    {
        using var request = new HttpRequestMessage(method, path);
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent("", Encoding.UTF8, "application/json");
        }

        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        return await app.Http.SendAsync(request);
    }
}
