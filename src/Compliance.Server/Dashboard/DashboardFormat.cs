using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;

namespace Compliance.Server.Dashboard;

/// <summary>How the dashboard writes data into HTML and SVG: every string encoded, numbers and times invariant.</summary>
internal static class DashboardFormat
{
    /// <summary>
    /// Text or a double-quoted attribute value from data. Names, ids, messages and evidence can come from a guest, so
    /// everything is encoded, quotes included.
    /// </summary>
    public static string Text(string? value) => HtmlEncoder.Default.Encode(value ?? string.Empty);

    /// <summary>
    /// A value from Azure or a guest (a name, an id, a location, a finding, a scan id) as element content: isolated in
    /// <c>&lt;bdi&gt;</c> so it cannot reorder the text around it, HTML-encoded, and each control or bidirectional
    /// character in it shown as a marked <c>&lt;U+202E&gt;</c> (<see cref="InertText"/>), so <c>vm-&#x202E;gnp.exe</c>
    /// cannot read as <c>vm-exe.png</c>. Tabs and line breaks stay: HTML shows them as spaces.
    /// </summary>
    public static string Value(string? value)
    {
        var text = value ?? string.Empty;
        var html = new StringBuilder(text.Length + 16).Append("<bdi>");
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsMarked(text[i]))
            {
                continue;
            }

            // The mark is made of the code point alone (U, +, hex digits), never of data: written as is.
            var code = InertText.Mark(text[i])[1..^1];
            html.Append(Text(text[start..i]))
                .Append("<span class=\"mark\" title=\"").Append(code).Append("\">&lt;").Append(code).Append("&gt;</span>");
            start = i + 1;
        }

        return html.Append(Text(text[start..])).Append("</bdi>").ToString();
    }

    /// <summary>
    /// A value from Azure or a guest in an attribute people see (a tooltip) or in SVG text, where no element can mark a
    /// character: each control or bidirectional character becomes its mark as text, and the whole is encoded.
    /// </summary>
    public static string Plain(string? value)
    {
        var text = value ?? string.Empty;
        return Text(text.Any(IsMarked) ? string.Concat(text.Select(c => IsMarked(c) ? InertText.Mark(c) : c.ToString())) : text);
    }

    /// <summary>A count.</summary>
    public static string Number(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A coordinate or length in an SVG.</summary>
    public static string Coordinate(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>A share of a total as a whole percentage; <c>0%</c> of nothing.</summary>
    public static string Percent(int part, int total) =>
        (total <= 0 ? 0 : Math.Round(100.0 * part / total, MidpointRounding.AwayFromZero)).ToString("0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A time for people, in UTC.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A time for the <c>datetime</c> attribute.</summary>
    public static string MachineTime(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The style class of a status. Classes come from this fixed set, never from data, so a stored value cannot add
    /// markup through a class attribute.
    /// </summary>
    public static string StatusClass(string? status) => status switch
    {
        nameof(ComplianceStatus.Compliant) => "compliant",
        nameof(ComplianceStatus.ActionRequired) => "action",
        nameof(ComplianceStatus.Unknown) => "unknown",
        nameof(ComplianceStatus.Exempt) => "exempt",
        _ => "other",
    };

    /// <summary>A status for people, encoded for HTML.</summary>
    public static string StatusLabel(string? status) => status switch
    {
        nameof(ComplianceStatus.ActionRequired) => "Action required",
        _ => Value(status),
    };

    /// <summary>The style class of a finding severity (a fixed set, as for statuses).</summary>
    public static string SeverityClass(string? severity) => severity switch
    {
        nameof(Severity.High) => "high",
        nameof(Severity.Medium) => "medium",
        nameof(Severity.Low) => "low",
        nameof(Severity.Info) => "info",
        _ => "other",
    };

    /// <summary>An action for people, encoded for HTML.</summary>
    public static string ActionLabel(string? action) => action switch
    {
        nameof(RemediationAction.GuestUpdate) => "Guest update",
        nameof(RemediationAction.KvaShadowing) => "KVA shadowing",
        nameof(RemediationAction.MitigationSettings) => "Mitigation settings",
        _ => Value(action),
    };

    // Tabs and line breaks are whitespace to HTML; every other control and the bidirectional controls are marked.
    private static bool IsMarked(char c) => InertText.IsMarked(c) && c is not '\t' and not '\n' and not '\r';
}
