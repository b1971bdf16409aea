using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using static Compliance.Server.Dashboard.DashboardFormat;

namespace Compliance.Server.Dashboard;

/// <summary>
/// The dashboard as one HTML document: an inline style sheet, inline SVG charts and no script, so it needs nothing
/// but itself. Every string that comes from data goes through <see cref="DashboardFormat.Text"/>.
/// </summary>
internal static class DashboardPage
{
    private const string Styles = """
        :root{--green:#1f883d;--red:#cf222e;--amber:#bf8700;--grey:#8c959f;--bg:#f3f5f8;--panel:#fff;--border:#d8dee4;--line:#eaeef2;--text:#1f2328;--muted:#59636e}
        *{box-sizing:border-box}
        body{margin:0;background:var(--bg);color:var(--text);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif}
        header.top{background:#1c2533;color:#fff;padding:20px 32px}
        .top-inner{max-width:1200px;margin:0 auto;display:flex;justify-content:space-between;align-items:flex-end;gap:24px;flex-wrap:wrap}
        header h1{margin:0;font-size:22px;font-weight:600}
        header p{margin:2px 0 0;color:#c5cdd8}
        .updated{color:#c5cdd8;text-align:right}
        .updated code{color:#fff;font-size:13px}
        main{max-width:1200px;margin:0 auto;padding:24px 32px 8px}
        .cards{display:grid;grid-template-columns:repeat(5,1fr);gap:16px;margin-bottom:16px}
        .card{background:var(--panel);border:1px solid var(--border);border-top:4px solid #57606a;border-radius:8px;padding:12px 16px}
        .card.compliant{border-top-color:var(--green)}.card.action{border-top-color:var(--red)}.card.unknown{border-top-color:var(--amber)}.card.exempt{border-top-color:var(--grey)}
        .card .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em;font-weight:600}
        .card .value{display:block;font-size:30px;font-weight:700;line-height:1.25}
        .card .share{color:var(--muted);font-size:13px}
        .two{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin-bottom:16px}
        .panel{background:var(--panel);border:1px solid var(--border);border-radius:8px;padding:16px 20px;margin-bottom:16px}
        .two .panel{margin-bottom:0}
        h2{font-size:16px;margin:0 0 12px;display:flex;align-items:center;gap:8px}
        h2 .count{background:var(--line);border-radius:10px;padding:0 8px;font-size:12px;color:var(--muted);font-weight:600}
        h2 .hint{font-weight:400;color:var(--muted);font-size:13px;margin-left:auto}
        .status-chart{display:flex;align-items:center;gap:36px}
        .status-chart .legend{min-width:240px}
        svg.donut{width:170px;height:170px;flex:none}
        .ring-track{fill:none;stroke:var(--line);stroke-width:22}
        .ring-compliant,.ring-action,.ring-unknown,.ring-exempt,.ring-other{fill:none;stroke-width:22}
        .ring-compliant{stroke:var(--green)}.ring-action{stroke:var(--red)}.ring-unknown{stroke:var(--amber)}.ring-exempt,.ring-other{stroke:var(--grey)}
        .donut-total{font-size:30px;font-weight:700;fill:var(--text)}
        .donut-caption{font-size:12px;fill:var(--muted)}
        .legend{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px}
        .status-chart .legend{display:block}
        .legend li{display:flex;align-items:center;gap:8px;margin:4px 0}
        .swatch{width:12px;height:12px;border-radius:3px;display:inline-block;background:var(--grey);flex:none}
        .swatch.compliant{background:var(--green)}.swatch.action{background:var(--red)}.swatch.unknown{background:var(--amber)}
        svg.bars{width:100%;height:auto;display:block;margin-top:4px}
        .bar-label{font-size:13px;fill:var(--text)}
        .bar-value{font-size:14px;font-weight:700;fill:var(--text)}
        .bar-track{fill:var(--line)}
        .bar-action{fill:var(--red)}
        .note{color:var(--muted);font-size:13px;margin:6px 0 0}
        svg.trend{width:100%;height:auto;display:block;margin-top:8px}
        .grid{stroke:var(--line)}
        .axis{font-size:12px;fill:var(--muted)}
        .fill-compliant{fill:var(--green)}.fill-action{fill:var(--red)}.fill-unknown{fill:var(--amber)}
        table{width:100%;border-collapse:collapse}
        th{text-align:left;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);border-bottom:1px solid var(--border);padding:6px 8px}
        td{border-bottom:1px solid var(--line);padding:10px 8px;vertical-align:top}
        tbody tr:last-child td{border-bottom:none}
        td.resource{width:30%}
        td.actions{width:13%}
        .name{font-weight:600;word-break:break-all}
        .meta{color:var(--muted);font-size:12px}
        .legend .n{margin-left:auto;font-weight:600;padding-left:16px}
        .legend .pct{color:var(--muted);width:44px;text-align:right}
        .badge{display:inline-block;border-radius:12px;padding:1px 9px;margin:0 4px 4px 0;font-size:12px;font-weight:600;white-space:nowrap;background:var(--line);color:#424a53}
        .badge.compliant{background:#dafbe1;color:#116329}.badge.action,.badge.act{background:#ffebe9;color:#a40e26}.badge.unknown{background:#fff8c5;color:#7d4e00}
        .findings{list-style:none;margin:0;padding:0}
        .findings li{margin:0 0 10px}
        .findings li:last-child{margin-bottom:0}
        .sev{display:inline-block;border-radius:4px;padding:0 6px;margin-right:6px;font-size:11px;font-weight:700;text-transform:uppercase;background:var(--line);color:#424a53}
        .mark{border:1px solid #d4a72c;border-radius:3px;padding:0 2px;background:#fff8c5;color:#7d4e00;font:11px ui-monospace,monospace}
        .sev.high{background:var(--red);color:#fff}.sev.medium{background:var(--amber);color:#fff}.sev.info{background:#ddf4ff;color:#0550ae}
        code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12px}
        .msg{margin:3px 0 0;color:#3d444d;overflow-wrap:anywhere}
        details{margin-top:3px}
        summary{cursor:pointer;color:var(--muted);font-size:12px}
        li>details>summary{color:var(--text)}
        pre{background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;margin:4px 0 0;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere;max-height:260px;overflow:auto}
        .empty{color:var(--muted);margin:0}
        footer{max-width:1200px;margin:0 auto;padding:0 32px 32px;color:var(--muted);font-size:12px}
        @media (max-width:900px){.cards{grid-template-columns:repeat(2,1fr)}.two{grid-template-columns:1fr}}
        """;

    private static readonly (string Status, string Label)[] _cards =
    [
        (nameof(ComplianceStatus.Compliant), "Compliant"),
        (nameof(ComplianceStatus.ActionRequired), "Action required"),
        (nameof(ComplianceStatus.Unknown), "Unknown"),
        (nameof(ComplianceStatus.Exempt), "Exempt"),
    ];

    // Evidence is shown as JSON for people; escaping for JavaScript would show them \u003C, and the text is
    // HTML-encoded before it reaches the page.
    private static readonly JsonSerializerOptions _evidenceJson = new(ComplianceReportJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The page.</summary>
    public static string Render(DashboardData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var html = new StringBuilder(16 * 1024);
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            // Without an icon the browser would fetch /favicon.ico; the policy allows data: images only.
            .Append("<link rel=\"icon\" href=\"data:,\">")
            .Append("<title>Compliance dashboard</title><style>").Append(Styles).Append("</style></head><body>");

        AppendHeader(html, data);
        html.Append("<main>");
        AppendTotals(html, data);
        AppendTrend(html, data);
        AppendActionRequired(html, data.ActionRequired);
        AppendUnknown(html, data.Unknown);
        AppendCloudServices(html, data.CloudServices);
        AppendExemptions(html, data);
        html.Append("</main><footer>Page made ").Append(Time(data.GeneratedAt))
            .Append(". The same data as JSON: <code>/api/summary</code>, <code>/api/scans</code>, <code>/api/compliance</code>.</footer></body></html>");
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, DashboardData data)
    {
        html.Append("<header class=\"top\"><div class=\"top-inner\"><div><h1>Speculative-execution compliance</h1>")
            .Append("<p>Guest updates, KVA shadowing and mitigation settings on the VMs, scale-set instances and Cloud Services</p></div>")
            .Append("<div class=\"updated\" data-testid=\"updated\">");
        if (data.ScanId is { } scanId && data.UpdatedAt is { } updatedAt)
        {
            html.Append("Last updated <time datetime=\"").Append(MachineTime(updatedAt)).Append("\">").Append(Time(updatedAt)).Append("</time><br>by scan <code>")
                .Append(Value(scanId)).Append("</code>");
        }
        else
        {
            html.Append("No scan has completed yet");
        }

        html.Append("</div></div></header>");
    }

    private static void AppendTotals(StringBuilder html, DashboardData data)
    {
        var summary = data.Summary;
        html.Append("<section class=\"cards\"><div class=\"card\"><span class=\"label\">Resources</span><span class=\"value\" data-testid=\"total\">")
            .Append(Number(summary.Total)).Append("</span><span class=\"share\">all statuses</span></div>");
        foreach (var (status, label) in _cards)
        {
            var count = SvgCharts.CountOf(summary, status);
            html.Append("<div class=\"card ").Append(StatusClass(status)).Append("\"><span class=\"label\">").Append(label)
                .Append("</span><span class=\"value\" data-testid=\"total-").Append(status).Append("\">").Append(Number(count))
                .Append("</span><span class=\"share\">").Append(Percent(count, summary.Total)).Append(" of all</span></div>");
        }

        html.Append("</section><div class=\"two\"><section class=\"panel\"><h2>By status</h2><div class=\"status-chart\">")
            .Append(SvgCharts.StatusDonut(summary)).Append("<ul class=\"legend\">");
        foreach (var (status, label) in _cards)
        {
            var count = SvgCharts.CountOf(summary, status);
            html.Append("<li><span class=\"swatch ").Append(StatusClass(status)).Append("\"></span>").Append(label)
                .Append("<span class=\"n\">").Append(Number(count)).Append("</span><span class=\"pct\">").Append(Percent(count, summary.Total)).Append("</span></li>");
        }

        html.Append("</ul></div></section><section class=\"panel\"><h2>By action</h2>").Append(SvgCharts.ActionBars(summary))
            .Append("<p class=\"note\">Resources that need each action, out of all resources. A resource can need several.</p></section></div>");
    }

    private static void AppendTrend(StringBuilder html, DashboardData data)
    {
        html.Append("<section class=\"panel\"><h2>Trend<span class=\"hint\">");
        if (data.Scans.Count == 0)
        {
            html.Append("</span></h2><p class=\"empty\" data-testid=\"trend-empty\">No scan has completed yet: the trend starts with the first one.</p></section>");
            return;
        }

        html.Append("the last ").Append(Number(data.Scans.Count)).Append(data.Scans.Count == 1 ? " completed scan" : " completed scans")
            .Append(", fleet state when each ended</span></h2><ul class=\"legend\">")
            .Append("<li><span class=\"swatch compliant\"></span>Compliant</li>")
            .Append("<li><span class=\"swatch action\"></span>Action required</li>")
            .Append("<li><span class=\"swatch unknown\"></span>Unknown</li></ul>")
            .Append(SvgCharts.Trend(data.Scans)).Append("</section>");
    }

    private static void AppendActionRequired(StringBuilder html, DashboardRows rows)
    {
        AppendTableStart(html, "Machines that need action", rows, "action-required", ["Machine", "Actions", "Findings and remedies"]);
        foreach (var resource in rows.Shown)
        {
            AppendRowStart(html, "action-row", resource);
            html.Append("<td class=\"actions\">");
            AppendActions(html, resource.Actions);
            html.Append("</td><td>");
            AppendFindings(html, resource.Findings);
            html.Append("</td></tr>");
        }

        AppendTableEnd(html, rows, "No VM or scale-set instance needs action.", "status=ActionRequired");
    }

    private static void AppendUnknown(StringBuilder html, DashboardRows rows)
    {
        AppendTableStart(html, "Machines that could not be checked", rows, "unknown", ["Machine", "Last known", "Why"]);
        foreach (var resource in rows.Shown)
        {
            AppendRowStart(html, "unknown-row", resource);
            html.Append("<td class=\"actions\" data-testid=\"last-known\">");
            if (resource.LastKnown is { } lastKnown)
            {
                AppendStatus(html, lastKnown.Status);
                AppendActions(html, lastKnown.Actions);
                html.Append("<div class=\"meta\">as of ").Append(Time(lastKnown.CheckedAt)).Append("</div>");
            }
            else
            {
                html.Append("<span class=\"meta\">no verdict yet</span>");
            }

            html.Append("</td><td>");
            AppendFindings(html, resource.Findings);
            html.Append("</td></tr>");
        }

        AppendTableEnd(html, rows, "Every VM and scale-set instance was checked.", "status=Unknown");
    }

    private static void AppendCloudServices(StringBuilder html, DashboardRows rows)
    {
        AppendTableStart(html, "Cloud Services", rows, "cloud-services", ["Cloud Service", "Status", "Findings and remedies"]);
        foreach (var resource in rows.Shown)
        {
            AppendRowStart(html, "cloud-service-row", resource);
            html.Append("<td class=\"actions\">");
            AppendStatus(html, resource.Status);
            AppendActions(html, resource.Actions);
            html.Append("</td><td>");
            AppendFindings(html, resource.Findings);
            html.Append("</td></tr>");
        }

        AppendTableEnd(html, rows, "There is no Cloud Service.", null);
    }

    // Every value an operator typed (id, justification, author) is encoded like a guest's output.
    private static void AppendExemptions(StringBuilder html, DashboardData data)
    {
        var exemptions = data.Exemptions;
        html.Append("<section class=\"panel\" data-testid=\"exemptions\"><h2>Exemptions<span class=\"count\">")
            .Append(Number(exemptions.Count(e => e.State == "active"))).Append("</span></h2>");
        if (exemptions.Count == 0)
        {
            html.Append("<p class=\"empty\">No exemption: every action found is notified. <code>PUT /api/exemptions/{id}</code> or <code>compliance exempt add</code> makes one.</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>Exemption</th><th>Covers</th><th>Who and why</th><th>Until</th><th>Exempt</th></tr></thead><tbody>");
        foreach (var e in exemptions)
        {
            html.Append("<tr data-testid=\"exemption-row\" data-exemption-id=\"").Append(Plain(e.Id)).Append("\"><td class=\"resource\"><div class=\"name\">")
                .Append(Value(e.Id)).Append("</div><div class=\"meta\">").Append(Value(e.Category)).Append("</div><div class=\"meta\" title=\"Scope\">")
                .Append(Value(e.Scope)).Append("</div></td><td>");
            AppendActions(html, e.Actions);
            foreach (var code in e.FindingCodes)
            {
                html.Append("<div class=\"meta\">").Append(Value(code)).Append("</div>");
            }

            html.Append("</td><td><div data-testid=\"exemption-by\">").Append(Value(e.CreatedBy)).Append("</div><div class=\"meta\">")
                .Append(Time(e.CreatedAt));
            if (e.UpdatedAt != e.CreatedAt)
            {
                html.Append(", changed by ").Append(Value(e.UpdatedBy)).Append(' ').Append(Time(e.UpdatedAt));
            }

            html.Append("</div><div data-testid=\"exemption-why\">").Append(Value(e.Justification)).Append("</div></td><td data-testid=\"exemption-until\">");
            if (e.ExpiresOn is not { } expires)
            {
                html.Append("never");
            }
            else
            {
                html.Append(Time(expires));
                if (e.State == "expired")
                {
                    html.Append(" <span class=\"badge unknown\" data-testid=\"exemption-expired\">expired</span>");
                }
                else if (expires - data.GeneratedAt <= data.ExpiringSoon)
                {
                    html.Append(" <span class=\"badge action\" data-testid=\"exemption-expiring\">expires soon</span>");
                }
            }

            html.Append("</td><td data-testid=\"exemption-count\">").Append(Number(e.ExemptResources ?? 0)).Append("</td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void AppendTableStart(StringBuilder html, string title, DashboardRows rows, string testId, string[] columns)
    {
        html.Append("<section class=\"panel\" data-testid=\"").Append(testId).Append("\"><h2>").Append(title).Append("<span class=\"count\">")
            .Append(Number(rows.Total)).Append("</span></h2>");
        if (rows.Shown.Count == 0)
        {
            return;
        }

        html.Append("<table><thead><tr>");
        foreach (var column in columns)
        {
            html.Append("<th>").Append(column).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
    }

    private static void AppendTableEnd(StringBuilder html, DashboardRows rows, string empty, string? filter)
    {
        if (rows.Shown.Count == 0)
        {
            html.Append("<p class=\"empty\">").Append(empty).Append("</p></section>");
            return;
        }

        html.Append("</tbody></table>");
        if (rows.Total > rows.Shown.Count)
        {
            html.Append("<p class=\"note\">The first ").Append(Number(rows.Shown.Count)).Append(" of ").Append(Number(rows.Total))
                .Append(" are shown; <code>/api/compliance").Append(filter is null ? string.Empty : "?" + filter).Append("</code> lists them all.</p>");
        }

        html.Append("</section>");
    }

    private static void AppendRowStart(StringBuilder html, string testId, ReportResource resource)
    {
        html.Append("<tr data-testid=\"").Append(testId).Append("\" data-resource-id=\"").Append(Plain(resource.Id)).Append("\"><td class=\"resource\">")
            .Append("<div class=\"name\" title=\"").Append(Plain(resource.Id)).Append("\">").Append(Value(resource.Name)).Append("</div><div class=\"meta\">")
            .Append(KindLabel(resource.Kind));
        if (resource.Os is { } os)
        {
            html.Append(" · ").Append(Value(os));
        }

        if (resource.ResourceGroup is { } group)
        {
            html.Append(" · ").Append(Value(group));
        }

        html.Append(" · ").Append(Value(resource.Location)).Append("</div><div class=\"meta\" title=\"Subscription\">").Append(Value(resource.SubscriptionId))
            .Append("</div><div class=\"meta\">as of ").Append(Time(resource.CheckedAt)).Append("</div></td>");
    }

    private static void AppendStatus(StringBuilder html, string status) =>
        html.Append("<span class=\"badge ").Append(StatusClass(status)).Append("\">").Append(StatusLabel(status)).Append("</span>");

    private static void AppendActions(StringBuilder html, IReadOnlyList<string> actions)
    {
        foreach (var action in actions)
        {
            html.Append("<span class=\"badge act\">").Append(ActionLabel(action)).Append("</span>");
        }
    }

    private static void AppendFindings(StringBuilder html, IReadOnlyList<ReportFinding> findings)
    {
        if (findings.Count == 0)
        {
            html.Append("<span class=\"meta\">no findings</span>");
            return;
        }

        html.Append("<ul class=\"findings\">");
        foreach (var finding in findings)
        {
            // Info findings explain (why a machine counts as running untrusted code, pending maintenance) and ask for
            // nothing: one line each, with the text behind a click, so the remedies stand out.
            var informational = finding.Severity == nameof(Severity.Info);
            var evidence = finding.Evidence.Count == 0 ? null : Value(JsonSerializer.Serialize(finding.Evidence, _evidenceJson));
            html.Append(informational ? "<li data-testid=\"finding\"><details><summary>" : "<li data-testid=\"finding\">")
                .Append("<span class=\"sev ").Append(SeverityClass(finding.Severity)).Append("\">").Append(Value(finding.Severity))
                .Append("</span><code>").Append(Value(finding.Code)).Append("</code>")
                .Append(informational ? "</summary>" : string.Empty)
                .Append("<p class=\"msg\">").Append(Value(finding.Message)).Append("</p>");
            if (evidence is not null)
            {
                html.Append(informational ? "<pre>" + evidence + "</pre>" : "<details><summary>Evidence</summary><pre>" + evidence + "</pre></details>");
            }

            html.Append(informational ? "</details></li>" : "</li>");
        }

        html.Append("</ul>");
    }

    private static string KindLabel(string kind) => kind switch
    {
        nameof(ResourceKind.VirtualMachine) => "VM",
        nameof(ResourceKind.ScaleSetInstance) => "Scale-set instance",
        nameof(ResourceKind.CloudService) => "Cloud Service",
        _ => Value(kind),
    };
}
