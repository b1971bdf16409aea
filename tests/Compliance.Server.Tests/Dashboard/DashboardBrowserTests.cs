using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Compliance.Server.Tests.Dashboard;

/// <summary>The dashboard of the sample fleet after two scans, as headless Chromium shows it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class DashboardBrowserTests(AzuriteFixture azurite)
{
    // Debian's chromium by default; COMPLIANCE_CHROMIUM names another Chromium-based browser (GitHub's runners ship Chrome).
    private static readonly string _chromium = Environment.GetEnvironmentVariable("COMPLIANCE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
    private const string Probe = "xss-probe";
    private const string Payload = "<script>window.__xss=1</script>";

    // A right-to-left override: shown raw, "vm-\u202Egnp.exe" reads "vm-exe.png".
    private const string Spoof = " vm-\u202Egnp.exe";

    [Fact]
    public async Task Dashboard_SampleFleetAfterTwoScans_ShowsTheStoreAndRunsAndLoadsNothing()
    {
        Assert.True(File.Exists(_chromium), $"{_chromium} is missing: tools/test.sh installs Debian's chromium (or set COMPLIANCE_CHROMIUM).");
        await using var app = await AppUnderTest.StartAsync(azurite, FleetWithProbe());
        var first = await ScanAsync(app);
        var second = await ScanAsync(app);
        using (var waiver = await app.Http.PutAsync(
            new Uri("api/exemptions/probe-waiver", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(new
            {
                scope = $"/subscriptions/{Fleets.OtherSubscription}",
                category = "Mitigated",
                actions = new[] { "GuestUpdate" },
                expiresOn = DateTimeOffset.UtcNow.AddDays(2),
                justification = Payload + Spoof,
            }), System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, waiver.StatusCode);
        }

        using var summary = await GetJsonAsync(app, "api/summary");
        using var actionRequired = await GetJsonAsync(app, "api/compliance?status=ActionRequired&pageSize=1000");
        using var all = await GetJsonAsync(app, "api/compliance?pageSize=1000");
        var dashboard = new Uri(app.BaseAddress, "api/dashboard").ToString();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = _chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var requests = new List<string>();
        var errors = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        var response = await page.GotoAsync(dashboard, new() { WaitUntil = WaitUntilState.Load });
        var screenshot = RepositoryFiles.PathOf("artifacts", "test-results", "dashboard.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });

        Assert.Equal((int)HttpStatusCode.OK, response?.Status);
        var counters = summary.RootElement.GetProperty("summary");
        Assert.Equal(37, counters.GetProperty("total").GetInt32());
        Assert.Equal(Count(counters, "total"), await page.GetByTestId("total").TextContentAsync());
        foreach (var status in new[] { "Compliant", "ActionRequired", "Unknown", "Exempt" })
        {
            Assert.Equal(Count(counters, char.ToLowerInvariant(status[0]) + status[1..]), await page.GetByTestId($"total-{status}").TextContentAsync());
        }

        foreach (var action in new[] { "GuestUpdate", "KvaShadowing", "MitigationSettings" })
        {
            Assert.Equal(Count(counters.GetProperty("byAction"), action), await page.GetByTestId($"action-{action}").TextContentAsync());
        }

        var needAction = Resources(actionRequired).Where(r => r.Kind != "CloudService").Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(14, needAction.Count);
        Assert.Contains(needAction, id => id.EndsWith("/" + Probe, StringComparison.Ordinal));
        Assert.Equal(needAction, (await ResourceIdsAsync(page, "action-row")).Order(StringComparer.Ordinal));

        var cloudServices = Resources(all).Where(r => r.Kind == "CloudService").Select(r => r.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, cloudServices.Count);
        Assert.Equal(cloudServices, (await ResourceIdsAsync(page, "cloud-service-row")).Order(StringComparer.Ordinal));

        Assert.Equal(
            [first, second],
            await page.Locator("svg[data-testid=trend] [data-scan-id]").EvaluateAllAsync<string[]>("groups => groups.map(g => g.getAttribute('data-scan-id'))"));
        Assert.Equal(second, await page.Locator("[data-testid=updated] code").TextContentAsync());

        var probeFindings = await page.Locator($"[data-testid=action-row][data-resource-id$=\"/{Probe}\"] .msg").AllTextContentsAsync();
        Assert.Equal(2, probeFindings.Count(m => m.Contains(Payload, StringComparison.Ordinal)));
        // Every guest string is isolated, and the override is shown as a mark instead of reordering the text.
        Assert.Contains(probeFindings, m => m.Contains("vm-<U+202E>gnp.exe", StringComparison.Ordinal));
        Assert.DoesNotContain(probeFindings, m => m.Contains('\u202E', StringComparison.Ordinal));
        Assert.Equal(await page.Locator(".msg").CountAsync(), await page.Locator(".msg > bdi").CountAsync());
        Assert.Equal(await page.Locator("[data-testid=action-row] .name").CountAsync(), await page.Locator("[data-testid=action-row] .name > bdi").CountAsync());
        Assert.Equal(["U+202E"], await page.Locator($"[data-testid=action-row][data-resource-id$=\"/{Probe}\"] .msg .mark").EvaluateAllAsync<string[]>("marks => [...new Set(marks.map(m => m.title))]"));
        Assert.True(await page.Locator($"[data-testid=action-row][data-resource-id$=\"/{Probe}\"] .msg .mark").First.IsVisibleAsync());
        var exemption = page.Locator("[data-testid=exemption-row][data-exemption-id=probe-waiver]");
        Assert.Equal(1, await exemption.CountAsync());
        Assert.Contains(Payload, await exemption.GetByTestId("exemption-why").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await exemption.Locator("[data-testid=exemption-why] .mark").CountAsync());
        Assert.Equal("local", await exemption.GetByTestId("exemption-by").TextContentAsync());
        Assert.Equal("0", await exemption.GetByTestId("exemption-count").TextContentAsync());
        Assert.Equal(1, await exemption.GetByTestId("exemption-expiring").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.__xss === 'undefined'"));
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Equal([dashboard], requests);
        Assert.Empty(errors);
        Assert.True(new FileInfo(screenshot).Length > 0);
    }

    /// <summary>The sample fleet plus a Linux VM whose guest puts a script into two finding messages.</summary>
    private static string FleetWithProbe()
    {
        var fleet = JsonNode.Parse(File.ReadAllText(RepositoryFiles.PathOf("samples", "fleet.json")))!.AsObject();
        var guest = Fleets.Patched();
        var vulnerabilities = guest["vulnerabilities"]!.AsObject();
        // Meltdown unmitigated puts the probe among the machines that need action; the two wordings that carry the
        // script are not the kernels', so they are quoted in an Unknown and an unverified finding.
        vulnerabilities["meltdown"] = "Vulnerable";
        vulnerabilities["spectre_v2"] = "Vulnerable " + Payload;
        vulnerabilities["mds"] = "Vulnerable " + Payload + Spoof;
        fleet["subscriptions"]![0]!["virtualMachines"]!.AsArray().Add(Fleets.Vm(Probe, guest: guest));
        return fleet.ToJsonString();
    }

    private static async Task<string> ScanAsync(AppUnderTest app)
    {
        using var started = await app.Http.PostAsync(new Uri("api/scans", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        using var body = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        var scanId = body.RootElement.GetProperty("scanId").GetString()!;

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            using var scan = await GetJsonAsync(app, $"api/scans/{scanId}", timeout.Token);
            if (scan.RootElement.GetProperty("completedAt").ValueKind != JsonValueKind.Null)
            {
                return scanId;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    private static async Task<JsonDocument> GetJsonAsync(AppUnderTest app, string path, CancellationToken cancellationToken = default)
    {
        using var response = await app.Http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private static IEnumerable<(string Id, string Kind)> Resources(JsonDocument page)
    {
        Assert.Equal(JsonValueKind.Null, page.RootElement.GetProperty("continuationToken").ValueKind);
        return page.RootElement.GetProperty("items").EnumerateArray()
            .Select(r => (r.GetProperty("id").GetString()!, r.GetProperty("kind").GetString()!))
            .ToList();
    }

    private static string Count(JsonElement counters, string name) =>
        counters.GetProperty(name).GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Task<string[]> ResourceIdsAsync(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.getAttribute('data-resource-id'))");
}
