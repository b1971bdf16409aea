using System.Net;
using System.Text;
using Compliance.Azure.EventGrid;
using Compliance.Azure.Webhooks;
using Microsoft.Extensions.Logging;

namespace Compliance.Server.Tests.Hosting;

/// <summary>
/// No secret the app holds reaches its logs: not the storage account key, the webhook secret, the Event Grid topic key,
/// the API key nor the ARM token, in any message, structured value, scope or exception, at any level.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretsInLogsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Logs_ScanApiCallsRefusalsAndDashboard_NoSecretInAnyEntry()
    {
        var apiKey = "api-key-" + Guid.NewGuid().ToString("N");
        var readKey = "read-key-" + Guid.NewGuid().ToString("N");
        var topicKey = "topic-key-" + Guid.NewGuid().ToString("N");
        await using var webhook = await LoopbackReceiver.StartAsync();
        await using var topic = await LoopbackReceiver.StartAsync();
        var logs = new CapturingLoggerProvider();
        var settings = new Dictionary<string, string?>(webhook.WebhookSettings)
        {
            ["Compliance:Notifications:EventGrid:TopicEndpoint"] = topic.TopicUrl.ToString(),
            ["Compliance:Notifications:EventGrid:TopicKey"] = topicKey,
            ["Compliance:Api:OperatorKey"] = apiKey,
            ["Compliance:Api:ReadKey"] = readKey,
        };
        var accountKey = azurite.ConnectionString.Split(';')
            .Select(part => part.Split('=', 2))
            .Single(pair => pair[0] == "AccountKey")[1];

        string armToken;
        var unpatched = Fleets.VmId("a");
        await using (var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("a", guest: Fleets.Unpatched()), Fleets.Vm("b")),
            settings: settings,
            urls: "http://0.0.0.0:0",
            logs: logs))
        {
            armToken = app.Emulator.AccessToken;
            app.Http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);

            await app.ScanAsync();
            await Eventually.HoldsAsync(() => webhook.About(unpatched).Count > 0 && topic.Requests.Count > 0, TimeSpan.FromSeconds(30), "the webhook and the topic to receive the notification");

            foreach (var path in new[] { "api/summary", "api/compliance", "api/compliance.csv", $"api/compliance{unpatched}", "api/scans", "api/health", "api/openapi.json", "api/dashboard", "api/nothing" })
            {
                using var response = await app.Http.GetAsync(path);
                Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
            }

            // A key in the query is no key here, but request logs would show it.
            using (var inQuery = await new HttpClient { BaseAddress = app.BaseAddress }.GetAsync($"api/summary?code={Uri.EscapeDataString(apiKey)}"))
            {
                await AppUnderTest.AssertProblemAsync(inQuery, HttpStatusCode.Unauthorized);
            }

            using (var readerScan = new HttpRequestMessage(HttpMethod.Post, "api/scans"))
            {
                readerScan.Headers.Add("X-Api-Key", readKey);
                using var forbidden = await new HttpClient { BaseAddress = app.BaseAddress }.SendAsync(readerScan);
                await AppUnderTest.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
            }

            using var wrongKey = new HttpRequestMessage(HttpMethod.Get, "api/summary");
            wrongKey.Headers.Add("X-Api-Key", apiKey[..^1] + "X");
            using var anonymous = new HttpClient { BaseAddress = app.BaseAddress };
            using var refused = await anonymous.SendAsync(wrongKey);
            await AppUnderTest.AssertProblemAsync(refused, HttpStatusCode.Unauthorized);

            using var dashboard = await app.Http.GetAsync("api/dashboard");
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            using var scan = await app.Http.PostAsync("api/scans", new StringContent("{\"subscriptions\": [\"not-a-subscription\"]}", Encoding.UTF8, "application/json"));
            await AppUnderTest.AssertProblemAsync(scan, HttpStatusCode.BadRequest);
        }

        var entries = logs.Entries;
        // The capture saw the app at work, at the lowest levels too, so the absence below means something.
        Assert.Contains(entries, e => e.Level == LogLevel.Trace);
        Assert.Contains(entries, e => e.Level == LogLevel.Debug);
        Assert.Contains(entries, e => e.Category == typeof(WebhookNotificationSink).FullName);
        Assert.Contains(entries, e => e.Category == typeof(EventGridNotificationSink).FullName);
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        // Requests are still logged, by their path.
        Assert.Contains(entries, e => e.Category.StartsWith("Microsoft.AspNetCore.HttpLogging", StringComparison.Ordinal) && e.Message.Contains("/api/summary", StringComparison.Ordinal));

        AssertNoSecret(entries, new Dictionary<string, string>
        {
            ["the storage account key"] = accountKey,
            ["the storage account key, URL-encoded"] = Uri.EscapeDataString(accountKey),
            ["the storage account key, form-encoded"] = WebUtility.UrlEncode(accountKey),
            ["the webhook secret"] = LoopbackReceiver.WebhookSecret,
            ["the Event Grid topic key"] = topicKey,
            ["the operator key"] = apiKey,
            ["the read key"] = readKey,
            ["the ARM access token"] = armToken,
        });
    }

    private static void AssertNoSecret(IReadOnlyList<CapturedLog> entries, Dictionary<string, string> secrets)
    {
        foreach (var entry in entries)
        {
            foreach (var text in entry.Texts())
            {
                foreach (var (name, secret) in secrets)
                {
                    Assert.False(
                        text.Contains(secret, StringComparison.OrdinalIgnoreCase),
                        $"{name} appears in a {entry.Level} entry of {entry.Category} (event {entry.EventId}): {text}");
                }
            }
        }
    }
}
