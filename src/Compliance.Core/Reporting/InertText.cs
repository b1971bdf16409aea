using System.Globalization;
using System.Text;

namespace Compliance.Core.Reporting;

/// <summary>
/// The one place that decides how text from Azure or a guest (names, ids, tags, finding codes and evidence, errors) is
/// made inert before a person sees it: in a CSV cell, in a terminal, on the dashboard. Characters that could act instead
/// of being shown are written as visible marks <c>&lt;U+XXXX&gt;</c>: control characters (C0 including NUL, ESC and BEL,
/// DEL, C1) other than the tab and line breaks a place allows, and the bidirectional controls (U+061C, U+200E, U+200F,
/// U+202A-U+202E, U+2066-U+2069) that could make <c>vm-&#x202E;gnp.exe</c> read as <c>vm-exe.png</c>.
/// </summary>
public static class InertText
{
    /// <summary>The characters that open a formula in a spreadsheet, ASCII and fullwidth (OWASP CSV injection).</summary>
    private const string FormulaStarts = "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20";

    // The separators spreadsheets split on, and the formula starts that matter after one inside a cell.
    private const string InnerSeparators = ",;\t\r\n";
    private const string InnerFormulaStarts = "=+-@\uFF1D\uFF0B\uFF0D\uFF20";

    /// <summary>Whether <paramref name="c"/> is a bidirectional formatting control (embedding, override, isolate or mark).</summary>
    public static bool IsBidiControl(char c) =>
        c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>Whether <paramref name="c"/> is a C0 or C1 control character or DEL.</summary>
    public static bool IsControl(char c) => c < ' ' || c is >= '\u007F' and <= '\u009F';

    /// <summary>Whether <paramref name="c"/> is shown as a mark rather than written, wherever text is shown.</summary>
    public static bool IsMarked(char c) => IsControl(c) || IsBidiControl(c);

    /// <summary>The visible mark of <paramref name="c"/>: <c>&lt;U+001B&gt;</c>, <c>&lt;U+202E&gt;</c>.</summary>
    public static string Mark(char c) => "<U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + ">";

    /// <summary>
    /// Text for a terminal or a table cell: every control character but tab (and line feed when
    /// <paramref name="keepLineFeeds"/>) and every bidirectional control becomes its mark, so no escape sequence reaches
    /// the terminal (<c>ESC]0;title BEL</c>, colours, cursor moves) and nothing reorders the line.
    /// </summary>
    public static string ForTerminal(string? value, bool keepLineFeeds = false) =>
        Marked(value, c => c == '\t' || (keepLineFeeds && c == '\n'));

    /// <summary>
    /// One CSV cell: control characters but tab, CR and LF, and bidirectional controls, become their marks; a cell whose
    /// first character other than spaces opens a formula (<c>= + - @</c>, tab, CR, or their fullwidth forms) gets a
    /// leading apostrophe, and so does a formula start after a comma, semicolon, tab or line break inside the cell
    /// (<c>a;'=HYPERLINK(...)</c>), for spreadsheets that split on another separator; a cell holding a comma, a semicolon (the separator of locales that use the decimal comma), a
    /// tab, a quote, CR or LF, or one neutralised, is quoted with its quotes doubled (RFC 4180).
    /// </summary>
    public static string ForCsv(string? value)
    {
        var text = Marked(value, c => c is '\t' or '\r' or '\n');
        if (text.Length == 0)
        {
            return text;
        }

        // A spreadsheet that splits on another separator than the comma (a semicolon where the decimal separator is a
        // comma, a tab) ignores the quotes of a cell that does not start with one, and then reads whatever follows a
        // separator inside it as a cell of its own: "a;=HYPERLINK(...)" would hold a formula. So a formula start right
        // after a separator or a line break inside the text is neutralised as well.
        text = NeutraliseInner(text);

        // Leading spaces do not protect a cell: some importers trim them and then read the formula.
        var first = text.AsSpan().TrimStart(' ');
        var neutralised = first.Length > 0 && FormulaStarts.Contains(first[0], StringComparison.Ordinal);
        if (neutralised)
        {
            text = "'" + text;
        }

        return neutralised || text.AsSpan().IndexOfAny(",;\t\"\r\n") >= 0
            ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : text;
    }

    private static string NeutraliseInner(string text)
    {
        StringBuilder? builder = null;
        var copied = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!InnerSeparators.Contains(text[i], StringComparison.Ordinal))
            {
                continue;
            }

            var next = i + 1;
            while (next < text.Length && text[next] == ' ')
            {
                next++;
            }

            if (next < text.Length && InnerFormulaStarts.Contains(text[next], StringComparison.Ordinal))
            {
                builder ??= new StringBuilder(text.Length + 8);
                builder.Append(text, copied, next - copied).Append('\'');
                copied = next;
            }
        }

        return builder is null ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static string Marked(string? value, Func<char, bool> allowed)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        if (!value.Any(c => IsMarked(c) && !allowed(c)))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            if (IsMarked(c) && !allowed(c))
            {
                builder.Append(Mark(c));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
