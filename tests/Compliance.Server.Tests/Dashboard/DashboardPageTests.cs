using System.Text.Json;
using System.Text.RegularExpressions;
using Compliance.Core.Reporting;
using Compliance.Server.Dashboard;
using static Compliance.Server.Tests.Dashboard.DashboardTestData;

namespace Compliance.Server.Tests.Dashboard;

public sealed partial class DashboardPageTests
{
    private const string Script = "<script>alert(1)</script>";
    private const string Breakout = "\"><img src=x onerror=alert(2)>";
    private const string Quotes = "a & b 'single' \"double\"";
    private const string EvidenceBreakout = "</pre></details><script>alert(4)</script>";
    private const string TitleBreakout = "</title><script>alert(5)</script>";

    private const string EncodedScript = "&lt;script&gt;alert(1)&lt;/script&gt;";
    private const string EncodedBreakout = "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;";
    private const string EncodedQuotes = "a &amp; b &#x27;single&#x27; &quot;double&quot;";
    private const string EncodedTitleBreakout = "&lt;/title&gt;&lt;script&gt;alert(5)&lt;/script&gt;";

    // Every element and attribute the page is made of; data that escaped encoding would add others.
    private static readonly string[] _elements =
    [
        "!DOCTYPE", "html", "head", "meta", "link", "title", "style", "body", "header", "div", "h1", "p", "time", "br", "code", "main",
        "section", "span", "svg", "circle", "text", "tspan", "g", "rect", "line", "ul", "li", "h2", "table", "thead", "tbody", "tr", "th", "td",
        "details", "summary", "pre", "footer", "bdi",
    ];

    private static readonly string[] _attributes =
    [
        "lang", "charset", "name", "content", "rel", "href", "class", "data-testid", "data-resource-id", "data-scan-id", "datetime", "title",
        "viewBox", "role", "aria-label", "cx", "cy", "r", "stroke-dasharray", "stroke-dashoffset", "transform", "x", "y", "dy", "text-anchor",
        "width", "height", "rx", "x1", "x2", "y1", "y2",
    ];

    [Fact]
    public void Render_HostileStringsEverywhere_AreEncodedAndAddNoMarkup()
    {
        var hostile = new ReportResource(
            $"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{Breakout}",
            "VirtualMachine",
            Script,
            Script,
            "ActionRequired",
            ["GuestUpdate", Breakout],
            [Finding(Breakout, Breakout, $"{Script} {Quotes}", new Dictionary<string, object?> { ["vulnerabilities"] = EvidenceBreakout })],
            Quotes,
            Breakout,
            Quotes,
            Now);
        var unknown = hostile with
        {
            Id = hostile.Id + "-unknown",
            Kind = Script,
            Status = "Unknown",
            LastKnown = new ReportLastKnown(Breakout, [Script], [Breakout], Now.AddDays(-1)),
        };
        var cloudService = hostile with { Id = hostile.Id + "-cloud", Kind = "CloudService", Status = Breakout };
        var summary = Summary(1, 2, 3, 4, 5, 6) with
        {
            ByAction = new Dictionary<string, int>(StringComparer.Ordinal) { ["GuestUpdate"] = 5, ["KvaShadowing"] = 6, [Breakout] = 1 },
        };
        var data = new DashboardData(
            summary,
            TitleBreakout,
            Now,
            [Scan(TitleBreakout, Now.AddHours(-1), summary), Scan(Breakout, Now.AddMinutes(-10), summary)],
            Rows(hostile),
            Rows(unknown),
            Rows(cloudService),
            Now);

        var html = DashboardPage.Render(data);

        Assert.Empty(TagRegex().Matches(html).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal).Except(_elements, StringComparer.Ordinal));
        Assert.Empty(TagRegex().Matches(html)
            .Where(m => m.Groups["name"].Value != "!DOCTYPE")
            .SelectMany(m => AttributeRegex().Matches(m.Groups["attributes"].Value).Select(a => a.Groups["name"].Value))
            .Distinct(StringComparer.Ordinal)
            .Except(_attributes, StringComparer.Ordinal));
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Breakout, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Quotes, html, StringComparison.Ordinal);
        Assert.Contains($"data-resource-id=\"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{EncodedBreakout}\"", html, StringComparison.Ordinal);
        Assert.Contains($"<div class=\"name\" title=\"/subscriptions/{Subscription}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{EncodedBreakout}\"><bdi>{EncodedScript}</bdi></div>", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"msg\"><bdi>{EncodedScript} {EncodedQuotes}</bdi></p>", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"sev other\"><bdi>{EncodedBreakout}</bdi></span><code><bdi>{EncodedBreakout}</bdi></code>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/pre&gt;&lt;/details&gt;&lt;script&gt;alert(4)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"badge act\"><bdi>{EncodedBreakout}</bdi></span>", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"badge other\"><bdi>{EncodedBreakout}</bdi></span>", html, StringComparison.Ordinal);
        Assert.Contains($"data-testid=\"action-{EncodedBreakout}\"", html, StringComparison.Ordinal);
        Assert.Contains($"<g class=\"scan\" data-scan-id=\"{EncodedTitleBreakout}\"><title>{EncodedTitleBreakout}, ", html, StringComparison.Ordinal);
        Assert.Contains($"data-scan-id=\"{EncodedBreakout}\"", html, StringComparison.Ordinal);
        Assert.Contains($"by scan <code><bdi>{EncodedTitleBreakout}</bdi></code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BidiAndControlCharacters_IsolatedAndMarkedVisibly()
    {
        var spoof = Resource("vm-\u202Egnp.exe", findings: [Finding("GUEST_UPDATE_MISSING", "High", "kernel 6.1\u0000\u001b]0;t\u0007 \u2066x\u2069")]) with
        {
            ResourceGroup = "rg\u200F",
            Location = "east\u061Cus",
        };
        var data = Empty() with { ScanId = "scan\u202D1", UpdatedAt = Now, ActionRequired = Rows(spoof) };

        var html = DashboardPage.Render(data);

        Assert.DoesNotContain(html, c => Compliance.Core.Reporting.InertText.IsBidiControl(c) || (char.IsControl(c) && c is not '\n'));
        Assert.DoesNotContain("&#x202E;", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<bdi>vm-<span class=\"mark\" title=\"U+202E\">&lt;U+202E&gt;</span>gnp.exe</bdi>", html, StringComparison.Ordinal);
        Assert.Contains("title=\"/subscriptions/" + Subscription, html, StringComparison.Ordinal);
        Assert.Contains("<bdi>kernel 6.1<span class=\"mark\" title=\"U+0000\">&lt;U+0000&gt;</span><span class=\"mark\" title=\"U+001B\">&lt;U+001B&gt;</span>]0;t<span class=\"mark\" title=\"U+0007\">&lt;U+0007&gt;</span> ", html, StringComparison.Ordinal);
        Assert.Contains("<bdi>rg<span class=\"mark\" title=\"U+200F\">&lt;U+200F&gt;</span></bdi>", html, StringComparison.Ordinal);
        Assert.Contains("<bdi>east<span class=\"mark\" title=\"U+061C\">&lt;U+061C&gt;</span>us</bdi>", html, StringComparison.Ordinal);
        Assert.Contains("by scan <code><bdi>scan<span class=\"mark\" title=\"U+202D\">&lt;U+202D&gt;</span>1</bdi></code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_EmptyStore_ShowsZerosAndSaysThereIsNoScanYet()
    {
        var html = DashboardPage.Render(Empty());

        Assert.StartsWith("<!DOCTYPE html><html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.EndsWith("</body></html>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\" data-testid=\"total\">0</span>", html, StringComparison.Ordinal);
        foreach (var status in new[] { "Compliant", "ActionRequired", "Unknown", "Exempt" })
        {
            Assert.Contains($"data-testid=\"total-{status}\">0</span><span class=\"share\">0% of all</span>", html, StringComparison.Ordinal);
        }

        Assert.Contains("data-testid=\"action-GuestUpdate\">0</text>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"action-KvaShadowing\">0</text>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"updated\" data-testid=\"updated\">No scan has completed yet</div>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"empty\" data-testid=\"trend-empty\">No scan has completed yet: the trend starts with the first one.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"trend\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<table", html, StringComparison.Ordinal);
        Assert.Contains("No VM or scale-set instance needs action.", html, StringComparison.Ordinal);
        Assert.Contains("There is no Cloud Service.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Fleet_ShowsTotalsRowsAndOneTrendGroupPerScanInOrder()
    {
        var summary = Summary(13, 9, 7, 0, 5, 5);
        var machine = Resource("web-01", findings: [Finding("GUEST_UPDATE_MISSING", "High", "spectre_v2 is \"Vulnerable\"."), Finding("UNTRUSTED_CODE_HOST", "Info", "Hyper-V.")]);
        var scaleSet = Resource("pool_3", kind: "ScaleSetInstance", actions: ["GuestUpdate", "KvaShadowing"]);
        var unknown = Resource("stopped-01", status: "Unknown", findings: [Finding("NOT_RUNNING", "Low", "The VM is deallocated.")]) with
        {
            LastKnown = new ReportLastKnown("ActionRequired", ["KvaShadowing"], ["KVA_SHADOWING_REQUIRED"], Now.AddDays(-2)),
        };
        var cloud = Resource("legacy-web", kind: "CloudService", status: "Compliant");
        var data = new DashboardData(
            summary,
            "20261121T101500Z-9f2c41d7",
            Now,
            [Scan("scan-old", Now.AddDays(-1), Summary(10, 12, 7, 0, 8, 5)), Scan("scan-new", Now.AddMinutes(-3), summary)],
            Rows(machine, scaleSet),
            Rows(unknown),
            new DashboardRows([cloud], 600),
            Now);

        var html = DashboardPage.Render(data);

        Assert.Contains("data-testid=\"total\">29</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total-Compliant\">13</span><span class=\"share\">45% of all</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total-ActionRequired\">9</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"total-Unknown\">7</span>", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"action-KvaShadowing\">5</text>", html, StringComparison.Ordinal);
        Assert.Contains("Last updated <time datetime=\"2026-11-21T10:15:00Z\">2026-11-21 10:15 UTC</time><br>by scan <code><bdi>20261121T101500Z-9f2c41d7</bdi></code>", html, StringComparison.Ordinal);
        Assert.Equal(
            [machine.Id, scaleSet.Id],
            RowRegex().Matches(html).Where(m => m.Groups["kind"].Value == "action-row").Select(m => m.Groups["id"].Value));
        Assert.Equal([unknown.Id], RowRegex().Matches(html).Where(m => m.Groups["kind"].Value == "unknown-row").Select(m => m.Groups["id"].Value));
        Assert.Equal([cloud.Id], RowRegex().Matches(html).Where(m => m.Groups["kind"].Value == "cloud-service-row").Select(m => m.Groups["id"].Value));
        Assert.Contains("<span class=\"badge act\">Guest update</span><span class=\"badge act\">KVA shadowing</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"sev high\"><bdi>High</bdi></span><code><bdi>GUEST_UPDATE_MISSING</bdi></code><p class=\"msg\"><bdi>spectre_v2 is &quot;Vulnerable&quot;.</bdi></p>", html, StringComparison.Ordinal);
        Assert.Contains("<li data-testid=\"finding\"><details><summary><span class=\"sev info\"><bdi>Info</bdi></span><code><bdi>UNTRUSTED_CODE_HOST</bdi></code></summary><p class=\"msg\"><bdi>Hyper-V.</bdi></p></details></li>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"actions\" data-testid=\"last-known\"><span class=\"badge action\">Action required</span><span class=\"badge act\">KVA shadowing</span><div class=\"meta\">as of 2026-11-19 10:15 UTC</div></td>", html, StringComparison.Ordinal);
        Assert.Contains("The first 1 of 600 are shown; <code>/api/compliance</code> lists them all.", html, StringComparison.Ordinal);
        Assert.Equal(["scan-old", "scan-new"], ScanGroupRegex().Matches(html).Select(m => m.Groups["id"].Value));
        Assert.Contains("<title>scan-new, 2026-11-21 10:14 UTC: 13 compliant, 9 action required, 7 unknown</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Evidence_IsIndentedJsonWithEncodedLineBreaks()
    {
        using var evidence = JsonDocument.Parse("""{"spectre_v2":"Vulnerable <x>","flags":260}""");
        var machine = Resource("web-01", findings: [Finding("GUEST_UPDATE_MISSING", evidence: new Dictionary<string, object?> { ["guest"] = evidence.RootElement.Clone() })]);
        var data = Empty() with { ActionRequired = Rows(machine) };

        var html = DashboardPage.Render(data);

        Assert.Contains(
            "<details><summary>Evidence</summary><pre><bdi>{&#xA;  &quot;guest&quot;: {&#xA;    &quot;spectre_v2&quot;: &quot;Vulnerable &lt;x&gt;&quot;,&#xA;    &quot;flags&quot;: 260&#xA;  }&#xA;}</bdi></pre></details>",
            html,
            StringComparison.Ordinal);
    }

    [GeneratedRegex("<(?<name>!?[a-zA-Z][a-zA-Z0-9]*)(?<attributes>[^>]*)>")]
    private static partial Regex TagRegex();

    [GeneratedRegex("\\s(?<name>[^\\s=/>\"]+)(=\"[^\"]*\")?")]
    private static partial Regex AttributeRegex();

    [GeneratedRegex("<tr data-testid=\"(?<kind>[a-z-]+)\" data-resource-id=\"(?<id>[^\"]*)\">")]
    private static partial Regex RowRegex();

    [GeneratedRegex("<g class=\"scan\" data-scan-id=\"(?<id>[^\"]*)\">")]
    private static partial Regex ScanGroupRegex();
}
