using Compliance.Core.Reporting;
using CsvHelper;

namespace Compliance.Core.Tests.Reporting;

public sealed class InertTextTests
{
    private const string Hyperlink = "a;=HYPERLINK(\"http://x\",\"y\")";

    [Theory]
    [InlineData(Hyperlink, "\"a;'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("a, -1\n@x", "\"a, '-1\n'@x\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("a\tb", "\"a\tb\"")]
    [InlineData("a\r\nb", "\"a\r\nb\"")]
    [InlineData("\uFF1D1+1", "\"'\uFF1D1+1\"")]
    [InlineData("\uFF0B1", "\"'\uFF0B1\"")]
    [InlineData("\uFF0D1", "\"'\uFF0D1\"")]
    [InlineData("\uFF20SUM(A1)", "\"'\uFF20SUM(A1)\"")]
    [InlineData("  =1+1", "\"'  =1+1\"")]
    [InlineData("\r=1", "\"'\r'=1\"")]
    [InlineData("vm\u0000\u001b[31m\u0007", "vm<U+0000><U+001B>[31m<U+0007>")]
    [InlineData("del\u007f c1\u0085\u009b", "del<U+007F> c1<U+0085><U+009B>")]
    [InlineData("vm-\u202Egnp.exe", "vm-<U+202E>gnp.exe")]
    [InlineData("a=b", "a=b")]
    [InlineData("", "")]
    public void ForCsv_HostileCells_AreQuotedNeutralisedAndMarked(string value, string expected) =>
        Assert.Equal(expected, InertText.ForCsv(value));

    [Theory]
    [InlineData("vm\u0000name", false, "vm<U+0000>name")]
    [InlineData("\u001b]0;pwned\u0007title", false, "<U+001B>]0;pwned<U+0007>title")]
    [InlineData("a\tb", false, "a\tb")]
    [InlineData("a\nb\r", false, "a<U+000A>b<U+000D>")]
    [InlineData("a\nb\r", true, "a\nb<U+000D>")]
    [InlineData("\u061C\u200E\u200F\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069", false,
        "<U+061C><U+200E><U+200F><U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069>")]
    [InlineData("\u0080\u009f", false, "<U+0080><U+009F>")]
    [InlineData("[red]plain[/] é 日本", false, "[red]plain[/] é 日本")]
    public void ForTerminal_ControlAndBidiCharacters_AreMarkedVisibly(string value, bool keepLineFeeds, string expected) =>
        Assert.Equal(expected, InertText.ForTerminal(value, keepLineFeeds));

    [Fact]
    public void Csv_HostileNames_ReadBackByACsvReaderAsOneInertCellEach()
    {
        var hostile = new[]
        {
            Hyperlink,
            "=HYPERLINK(\"http://x\")",
            "\uFF1DHYPERLINK(\"http://x\")",
            " @SUM(A1)",
            "vm-\u202Egnp.exe",
            "vm\u0000\u001b]0;title\u0007",
            "two\r\nlines, \"quoted\"",
        };
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var resources = hostile.Select((name, i) => new ReportResource(
            $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm{i}", "VirtualMachine", name, "Linux", "Compliant", [], [], "s", "rg;=1", "eastus", time)).ToList();
        var report = new ComplianceReport("scan", time, time, ComplianceReportBuilder.Summarize(resources), resources, []);

        var csv = ComplianceReportCsv.Serialize(report);

        foreach (var delimiter in new[] { ',', ';' })
        {
            using var reader = CsvReader.FromText(csv, new CsvReaderOptions
            {
                Separator = delimiter,
                HasHeader = false,
                Mode = CsvMode.Rfc4180,
                MalformedData = delimiter == ',' ? CsvMalformedDataHandling.Throw : CsvMalformedDataHandling.Recover,
                FieldCountMismatch = delimiter == ',' ? CsvFieldCountHandling.Throw : CsvFieldCountHandling.Allow,
            });
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(reader.GetString).ToArray());
            }

            // Read with the comma it is written with, one row per resource; read with a semicolon, as a spreadsheet in a
            // decimal-comma locale would, the rows fall apart, and still no cell starts a formula.
            Assert.True(delimiter == ';' || rows.Count == hostile.Length + 1, $"{rows.Count} rows");
            foreach (var row in rows.Skip(1))
            {
                Assert.DoesNotContain(row, c => c.TrimStart(' ').Length > 0 && "=+-@\t\r\uFF1D\uFF0B\uFF0D\uFF20".Contains(c.TrimStart(' ')[0], StringComparison.Ordinal));
                Assert.DoesNotContain(row, c => c.Any(ch => InertText.IsBidiControl(ch) || (InertText.IsControl(ch) && ch is not '\r' and not '\n')));
            }

            if (delimiter == ',')
            {
                Assert.Equal(
                    [
                        "a;'=HYPERLINK(\"http://x\",\"y\")",
                        "'=HYPERLINK(\"http://x\")",
                        "'\uFF1DHYPERLINK(\"http://x\")",
                        "' @SUM(A1)",
                        "vm-<U+202E>gnp.exe",
                        "vm<U+0000><U+001B>]0;title<U+0007>",
                        "two\r\nlines, \"quoted\"",
                    ],
                    rows.Skip(1).Select(r => r[2]));
                Assert.All(rows.Skip(1), r => Assert.Equal("rg;'=1", r[4]));
            }
        }
    }
}
