using System.Net;
using System.Text;
using System.Text.Json;

namespace Compliance.Server.Tests.Api;

/// <summary>The query API on a scanned fleet: every filter, paging, CSV, detail, summary, scans and bad input.</summary>
public sealed class ComplianceApiEndpointsTests(ScannedAppFixture fixture) : IClassFixture<ScannedAppFixture>
{
    private readonly AppUnderTest _app = fixture.App;

    [Fact]
    public async Task List_NoFilters_EveryResourceOnceWithItsVerdict()
    {
        var page = await _app.GetJsonAsync("api/compliance");

        Assert.Equal(JsonValueKind.Null, page.GetProperty("continuationToken").ValueKind);
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ScannedAppFixture.Names.Values.Order(), items.Select(i => i.GetProperty("name").GetString()!).Order());
        var byName = items.ToDictionary(i => i.GetProperty("name").GetString()!);
        Assert.Equal("Compliant", byName["web-1"].GetProperty("status").GetString());
        Assert.Equal(["GuestUpdate"], byName["web-2"].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["KvaShadowing"], byName["rds-1"].GetProperty("actions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("Unknown", byName["batch-1"].GetProperty("status").GetString());
        Assert.Equal("ActionRequired", byName["legacy-api"].GetProperty("status").GetString());
        Assert.Equal(Fleets.OtherSubscription, byName["dev-1"].GetProperty("subscriptionId").GetString());
    }

    [Theory]
    [InlineData("status=ActionRequired", "web-2,rds-1,legacy-api,dev-1")]
    [InlineData("status=compliant", "web-1,=cmd")]
    [InlineData("status=Unknown", "batch-1")]
    [InlineData("status=Exempt", "")]
    [InlineData("action=KvaShadowing", "rds-1")]
    [InlineData("action=guestupdate", "web-2,legacy-api,dev-1")]
    [InlineData("subscription=22222222-2222-2222-2222-222222222222", "dev-1")]
    [InlineData("subscription=11111111111111111111111111111111&status=Unknown", "batch-1")]
    [InlineData("resourceGroup=rg-desk", "rds-1")]
    [InlineData("resourceGroup=RG-APP", "web-1,web-2,batch-1")]
    [InlineData("resourceGroup=-danger", "=cmd")]
    [InlineData("os=Windows", "rds-1")]
    [InlineData("os=linux&status=ActionRequired", "web-2,dev-1")]
    [InlineData("os=none", "legacy-api")]
    [InlineData("finding=KVA_SHADOWING_REQUIRED", "rds-1")]
    [InlineData("finding=guest_update_missing", "web-2,dev-1")]
    [InlineData("finding=CLOUD_SERVICE_GUEST_OS_OUTDATED", "legacy-api")]
    [InlineData("status=ActionRequired&subscription=11111111-1111-1111-1111-111111111111&os=Linux&resourceGroup=rg-app&finding=GUEST_UPDATE_MISSING&action=GuestUpdate", "web-2")]
    public async Task List_Filter_SelectsExactlyTheMatchingResources(string query, string expected)
    {
        var page = await _app.GetJsonAsync($"api/compliance?{query}");

        var names = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).Order();
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), names);

        // The CSV takes the same filters.
        using var csv = await _app.Http.GetAsync($"api/compliance.csv?{query}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries).Length, rows.Length - 1);
    }

    [Theory]
    [InlineData("", 2)]
    [InlineData("", 1)]
    [InlineData("&status=ActionRequired", 3)]
    [InlineData("&os=Linux", 2)]
    public async Task List_Paged_TokensReachEveryMatchOnce(string filter, int pageSize)
    {
        var all = (await _app.GetJsonAsync($"api/compliance?pageSize=50{filter}")).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var url = $"api/compliance?pageSize={pageSize}{filter}" + (token is null ? string.Empty : $"&continuationToken={Uri.EscapeDataString(token)}");
            var page = await _app.GetJsonAsync(url);
            var items = page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToList();
            Assert.InRange(items.Count, 1, pageSize);
            seen.AddRange(items);
            token = page.GetProperty("continuationToken").GetString();
            pages++;
            Assert.True(pages <= all.Count, "Paging does not end.");
        }
        while (token is not null);

        Assert.Equal(all, seen);
        Assert.Equal((all.Count + pageSize - 1) / pageSize, pages);
    }

    [Fact]
    public async Task Csv_AllResources_HeaderRowsAndNeutralisedFormulas()
    {
        using var response = await _app.Http.GetAsync("api/compliance.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ScannedAppFixture.Names.Count + 1, lines.Length);
        var header = lines[0].Split(',');
        Assert.Contains("id", header);
        Assert.Contains("status", header);
        var danger = Assert.Single(lines, l => l.Contains("cmd", StringComparison.Ordinal));
        var cells = danger.Split(',');
        Assert.Equal("\"'=cmd\"", cells[Array.IndexOf(header, "name")]);
        Assert.Equal("\"'-danger\"", cells[Array.IndexOf(header, "resourceGroup")]);
        Assert.All(lines.Skip(1), line => Assert.DoesNotMatch("(^|,)[=+@-]", line));
    }

    [Fact]
    public async Task Detail_RawOrEscapedId_VerdictAndHistory()
    {
        var id = Fleets.VmId("web-2");

        var detail = await _app.GetJsonAsync($"api/compliance{id}");
        var escaped = await _app.GetJsonAsync($"api/compliance/{Uri.EscapeDataString(id)}");

        Assert.Equal(id, detail.GetProperty("resource").GetProperty("id").GetString(), ignoreCase: true);
        Assert.Equal("GUEST_UPDATE_MISSING", detail.GetProperty("resource").GetProperty("findings")[0].GetProperty("code").GetString());
        var entry = Assert.Single(detail.GetProperty("history").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("fromStatus").ValueKind);
        Assert.Equal("ActionRequired", entry.GetProperty("toStatus").GetString());
        Assert.Equal(detail.GetRawText(), escaped.GetRawText());
    }

    [Fact]
    public async Task SummaryAndScans_AfterAScan_CountWhatTheListShows()
    {
        var summary = (await _app.GetJsonAsync("api/summary")).GetProperty("summary");
        var scans = (await _app.GetJsonAsync("api/scans")).EnumerateArray().ToList();

        Assert.Equal(7, summary.GetProperty("total").GetInt32());
        Assert.Equal(2, summary.GetProperty("compliant").GetInt32());
        Assert.Equal(4, summary.GetProperty("actionRequired").GetInt32());
        Assert.Equal(1, summary.GetProperty("unknown").GetInt32());
        Assert.Equal(3, summary.GetProperty("byAction").GetProperty("GuestUpdate").GetInt32());
        Assert.Equal(1, summary.GetProperty("byAction").GetProperty("KvaShadowing").GetInt32());
        var scan = Assert.Single(scans);
        Assert.Equal(7, scan.GetProperty("recorded").GetInt32());
        Assert.Equal(summary.GetRawText(), scan.GetProperty("summary").GetRawText());
        Assert.True(scan.GetProperty("durationMs").GetInt64() >= 0);
        var one = await _app.GetJsonAsync($"api/scans/{scan.GetProperty("scanId").GetString()}");
        Assert.Equal(scan.GetRawText(), one.GetRawText());
        Assert.Single((await _app.GetJsonAsync("api/scans?top=1")).EnumerateArray());
    }

    [Fact]
    public async Task HealthAndOpenApi_Get_DescribeTheApi()
    {
        var health = await _app.GetJsonAsync("api/health");
        var openApi = await _app.GetJsonAsync("api/openapi.json");

        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Standalone", health.GetProperty("mode").GetString());
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "/api/compliance", "/api/compliance.csv", "/api/summary", "/api/scans", "/api/health" })
        {
            Assert.Contains(path, paths);
        }
    }

    [Theory]
    [InlineData("api/compliance?status=Bogus", "status must be one of")]
    [InlineData("api/compliance?status=1", "status must be one of")]
    [InlineData("api/compliance?action=reboot", "action must be one of")]
    [InlineData("api/compliance?subscription=production", "subscription must be")]
    [InlineData("api/compliance?resourceGroup=a%2Fb", "resourceGroup must be")]
    [InlineData("api/compliance?os=Mac", "os must be")]
    [InlineData("api/compliance?finding=1%3D1", "finding must be")]
    [InlineData("api/compliance?pageSize=0", "pageSize must be")]
    [InlineData("api/compliance?pageSize=-1", "pageSize must be")]
    [InlineData("api/compliance?pageSize=ten", "pageSize must be")]
    [InlineData("api/compliance?pageSize=51", "pageSize must be a whole number from 1 to 50")]
    [InlineData("api/compliance?continuationToken=abc", "continuationToken")]
    [InlineData("api/compliance?continuationToken=djE6bm90LWFuLWlk", "continuationToken")]
    [InlineData("api/compliance?status=Compliant&status=Unknown", "more than once")]
    [InlineData("api/compliance?name=web-1", "Unknown parameter 'name'")]
    [InlineData("api/compliance.csv?pageSize=10", "Unknown parameter 'pageSize'")]
    [InlineData("api/compliance.csv?os=Solaris", "os must be")]
    [InlineData("api/compliance/not-a-resource-id", "ARM resource id")]
    [InlineData("api/scans?top=0", "top must be")]
    [InlineData("api/scans?top=501", "top must be")]
    [InlineData("api/scans?since=yesterday", "Unknown parameter 'since'")]
    public async Task Get_BadQuery_400ProblemSayingWhatIsAllowed(string path, string expected)
    {
        using var response = await _app.Http.GetAsync(path);

        var detail = await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(expected, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{")]
    [InlineData("""{"subscriptions":"11111111-1111-1111-1111-111111111111"}""")]
    [InlineData("""{"subscriptions":["production"]}""")]
    [InlineData("""{"subscriptions":[42]}""")]
    public async Task StartScan_BadBody_400ProblemAndNoScan(string body)
    {
        var before = (await _app.GetJsonAsync("api/scans")).GetArrayLength();

        using var response = await _app.Http.PostAsync("api/scans", new StringContent(body, Encoding.UTF8, "application/json"));

        await AppUnderTest.AssertProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(before, (await _app.GetJsonAsync("api/scans")).GetArrayLength());
    }

    [Theory]
    [InlineData("GET", "api/compliance/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/nope", HttpStatusCode.NotFound)]
    [InlineData("GET", "api/scans/20000101T000000Z-0000", HttpStatusCode.NotFound)]
    [InlineData("GET", "api/nothing-here", HttpStatusCode.NotFound)]
    [InlineData("DELETE", "api/compliance", HttpStatusCode.MethodNotAllowed)]
    [InlineData("PUT", "api/summary", HttpStatusCode.MethodNotAllowed)]
    public async Task Send_UnknownResourceRouteOrMethod_Problem(string method, string path, HttpStatusCode status)
    {
        using var response = await _app.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await AppUnderTest.AssertProblemAsync(response, status);
    }
}
