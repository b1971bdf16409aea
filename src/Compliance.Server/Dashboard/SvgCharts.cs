using System.Globalization;
using System.Text;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using static Compliance.Server.Dashboard.DashboardFormat;

namespace Compliance.Server.Dashboard;

/// <summary>
/// The dashboard's charts as inline SVG, drawn on the server (the page has no script). Colours come from the page's
/// style sheet through fixed class names; every string from data is encoded, in <c>text</c> and <c>title</c> alike.
/// </summary>
internal static class SvgCharts
{
    private const double DonutRadius = 60;
    private const double DonutCentre = 80;

    private const double TrendWidth = 1100;
    private const double TrendHeight = 260;
    private const double TrendLeft = 48;
    private const double TrendRight = 12;
    private const double TrendTop = 14;
    private const double TrendBottom = 46;
    private const int TrendLabels = 8;

    private static readonly string[] _statuses =
    [
        nameof(ComplianceStatus.Compliant),
        nameof(ComplianceStatus.ActionRequired),
        nameof(ComplianceStatus.Unknown),
        nameof(ComplianceStatus.Exempt),
    ];

    private static readonly string[] _actions = Enum.GetNames<RemediationAction>();

    /// <summary>A donut of the resources by status, with the total in the middle.</summary>
    public static string StatusDonut(ReportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var counts = _statuses.Select(s => (Status: s, Count: CountOf(summary, s))).ToList();
        var total = counts.Sum(c => c.Count);
        var circumference = 2 * Math.PI * DonutRadius;

        var svg = new StringBuilder();
        svg.Append("<svg class=\"donut\" data-testid=\"status-chart\" viewBox=\"0 0 160 160\" role=\"img\" aria-label=\"Resources by status\">");
        svg.Append(Ring("ring-track", circumference, 0, circumference, null));
        var offset = 0.0;
        foreach (var (status, count) in counts.Where(c => c.Count > 0))
        {
            var length = circumference * count / total;
            svg.Append(Ring("ring-" + StatusClass(status), length, offset, circumference, $"{StatusLabel(status)}: {Number(count)} ({Percent(count, total)})"));
            offset += length;
        }

        svg.Append("<text class=\"donut-total\" x=\"80\" y=\"80\" text-anchor=\"middle\">").Append(Number(summary.Total)).Append("</text>");
        svg.Append("<text class=\"donut-caption\" x=\"80\" y=\"100\" text-anchor=\"middle\">resources</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>One bar per action: how many resources need it, out of all of them.</summary>
    public static string ActionBars(ReportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);

        // The known actions always, in their order; anything else the counters hold after them.
        var actions = _actions.Concat(summary.ByAction.Keys.Where(k => !_actions.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal)).ToList();
        const double width = 520, rowHeight = 46, barWidth = 520;
        var svg = new StringBuilder();
        svg.Append("<svg class=\"bars\" data-testid=\"action-chart\" viewBox=\"0 0 ").Append(Coordinate(width)).Append(' ').Append(Coordinate(rowHeight * actions.Count))
            .Append("\" role=\"img\" aria-label=\"Resources by action\">");
        for (var i = 0; i < actions.Count; i++)
        {
            var action = actions[i];
            var count = summary.ByAction.GetValueOrDefault(action);
            var y = rowHeight * i;
            var length = summary.Total <= 0 ? 0 : barWidth * Math.Min(count, summary.Total) / summary.Total;
            svg.Append("<g><title>").Append(ActionLabel(action)).Append(": ").Append(Number(count)).Append(" of ").Append(Number(summary.Total)).Append(" resources</title>");
            svg.Append("<text class=\"bar-label\" x=\"0\" y=\"").Append(Coordinate(y + 16)).Append("\">").Append(ActionLabel(action)).Append("</text>");
            svg.Append("<text class=\"bar-value\" x=\"").Append(Coordinate(width)).Append("\" y=\"").Append(Coordinate(y + 16))
                .Append("\" text-anchor=\"end\" data-testid=\"action-").Append(Text(action)).Append("\">").Append(Number(count)).Append("</text>");
            svg.Append("<rect class=\"bar-track\" x=\"0\" y=\"").Append(Coordinate(y + 24)).Append("\" width=\"").Append(Coordinate(barWidth)).Append("\" height=\"12\" rx=\"6\"/>");
            if (length > 0)
            {
                svg.Append("<rect class=\"bar-action\" x=\"0\" y=\"").Append(Coordinate(y + 24)).Append("\" width=\"").Append(Coordinate(Math.Max(length, 6)))
                    .Append("\" height=\"12\" rx=\"6\"/>");
            }

            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>
    /// Stacked bars of compliant, action required and unknown resources at the end of each scan (oldest first), one
    /// group per scan carrying its id, labelled with dates under a readable subset of the bars.
    /// </summary>
    public static string Trend(IReadOnlyList<ScanRecord> scans)
    {
        ArgumentNullException.ThrowIfNull(scans);
        var plotWidth = TrendWidth - TrendLeft - TrendRight;
        var plotHeight = TrendHeight - TrendTop - TrendBottom;
        var bottom = TrendTop + plotHeight;
        var highest = scans.Select(s => s.Summary.Compliant + s.Summary.ActionRequired + s.Summary.Unknown).DefaultIfEmpty(0).Max();
        var step = NiceStep(highest / 4.0);
        var top = Math.Max(step, Math.Ceiling(highest / step) * step);
        double Y(double value) => bottom - (plotHeight * value / top);

        var svg = new StringBuilder();
        svg.Append("<svg class=\"trend\" data-testid=\"trend\" viewBox=\"0 0 ").Append(Coordinate(TrendWidth)).Append(' ').Append(Coordinate(TrendHeight))
            .Append("\" role=\"img\" aria-label=\"Resources by status after each scan\">");
        for (var tick = 0.0; tick <= top + (step / 2); tick += step)
        {
            svg.Append("<line class=\"grid\" x1=\"").Append(Coordinate(TrendLeft)).Append("\" x2=\"").Append(Coordinate(TrendWidth - TrendRight))
                .Append("\" y1=\"").Append(Coordinate(Y(tick))).Append("\" y2=\"").Append(Coordinate(Y(tick))).Append("\"/>");
            svg.Append("<text class=\"axis\" x=\"").Append(Coordinate(TrendLeft - 8)).Append("\" y=\"").Append(Coordinate(Y(tick) + 4))
                .Append("\" text-anchor=\"end\">").Append(Number((int)tick)).Append("</text>");
        }

        var slot = plotWidth / Math.Max(scans.Count, 1);
        var barWidth = Math.Min(slot * 0.62, 44);
        var labelEvery = (int)Math.Ceiling(scans.Count / (double)TrendLabels);
        for (var i = 0; i < scans.Count; i++)
        {
            var scan = scans[i];
            var summary = scan.Summary;
            var completed = scan.CompletedAt ?? scan.StartedAt;
            var x = TrendLeft + (slot * i) + ((slot - barWidth) / 2);
            svg.Append("<g class=\"scan\" data-scan-id=\"").Append(Plain(scan.ScanId)).Append("\"><title>")
                .Append(Plain(scan.ScanId)).Append(", ").Append(Time(completed)).Append(": ")
                .Append(Number(summary.Compliant)).Append(" compliant, ")
                .Append(Number(summary.ActionRequired)).Append(" action required, ")
                .Append(Number(summary.Unknown)).Append(" unknown</title>");

            var stacked = 0;
            foreach (var (count, style) in new[] { (summary.Compliant, "compliant"), (summary.ActionRequired, "action"), (summary.Unknown, "unknown") })
            {
                if (count > 0)
                {
                    svg.Append("<rect class=\"fill-").Append(style).Append("\" x=\"").Append(Coordinate(x)).Append("\" y=\"").Append(Coordinate(Y(stacked + count)))
                        .Append("\" width=\"").Append(Coordinate(barWidth)).Append("\" height=\"").Append(Coordinate(Y(stacked) - Y(stacked + count))).Append("\"/>");
                    stacked += count;
                }
            }

            if (i % labelEvery == 0 || i == scans.Count - 1)
            {
                var centre = Coordinate(x + (barWidth / 2));
                svg.Append("<text class=\"axis\" text-anchor=\"middle\" x=\"").Append(centre).Append("\" y=\"").Append(Coordinate(bottom + 18)).Append("\">")
                    .Append(completed.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                    .Append("<tspan x=\"").Append(centre).Append("\" dy=\"15\">")
                    .Append(completed.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture)).Append("</tspan></text>");
            }

            svg.Append("</g>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The counter of a status (Exempt for any other).</summary>
    public static int CountOf(ReportSummary summary, string status) => status switch
    {
        nameof(ComplianceStatus.Compliant) => summary.Compliant,
        nameof(ComplianceStatus.ActionRequired) => summary.ActionRequired,
        nameof(ComplianceStatus.Unknown) => summary.Unknown,
        _ => summary.Exempt,
    };

    private static string Ring(string style, double length, double offset, double circumference, string? title)
    {
        var ring = new StringBuilder();
        ring.Append("<circle class=\"").Append(style).Append("\" cx=\"").Append(Coordinate(DonutCentre)).Append("\" cy=\"").Append(Coordinate(DonutCentre))
            .Append("\" r=\"").Append(Coordinate(DonutRadius)).Append("\" stroke-dasharray=\"").Append(Coordinate(length)).Append(' ').Append(Coordinate(circumference - length))
            .Append("\" stroke-dashoffset=\"").Append(Coordinate(-offset)).Append("\" transform=\"rotate(-90 80 80)\"");
        if (title is null)
        {
            return ring.Append("/>").ToString();
        }

        return ring.Append("><title>").Append(title).Append("</title></circle>").ToString();
    }

    /// <summary>The smallest of 1, 2, 5, 10, 20, 50, ... that is at least <paramref name="rough"/>.</summary>
    private static double NiceStep(double rough)
    {
        for (var magnitude = 1.0; ; magnitude *= 10)
        {
            foreach (var factor in new[] { 1.0, 2.0, 5.0 })
            {
                if (factor * magnitude >= rough)
                {
                    return factor * magnitude;
                }
            }
        }
    }
}
