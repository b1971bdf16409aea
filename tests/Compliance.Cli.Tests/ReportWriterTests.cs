using System.Text.Json.Nodes;
using Compliance.Core.Reporting;

namespace Compliance.Cli.Tests;

/// <summary>Values from Azure or a guest in the terminal: shown, never acted on by the terminal or by Spectre's markup.</summary>
public sealed class ReportWriterTests : IDisposable
{
    // NUL, a terminal title set (OSC ... BEL), a colour (CSI), a C1 CSI, a right-to-left override and Spectre markup.
    private const string HostileName = "vm\u0000\u001b]0;pwned\u0007\u001b[31m\u009b2J-\u202Egnp.exe[red]x[/]";
    private const string Marked = "vm<U+0000><U+001B>]0;pwned<U+0007><U+001B>[31m<U+009B>2J-<U+202E>gnp.exe[red]x[/]";

    private readonly string _directory = Directory.CreateTempSubdirectory("compliance-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("Table")]
    [InlineData("Csv")]
    public async Task WriteAsync_HostileValues_NoControlOrBidiCharacterReachesTheOutput(string formatName)
    {
        var format = Enum.Parse<ReportFormat>(formatName);
        var time = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var resource = new ReportResource(
            $"/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/{HostileName}",
            "VirtualMachine\u001b[2J",
            HostileName,
            "Linux\u0007",
            "Weird\u202E",
            ["GuestUpdate\u0000"],
            [new ReportFinding("CODE\u001b[5m", "High\u0085", "message\u0007", new Dictionary<string, object?>())],
            "sub\u2066scription",
            "rg\u200F\u061C",
            "eastus",
            time);
        var report = new ComplianceReport("scan\u001b]0;x\u0007[bold]", time, time, ComplianceReportBuilder.Summarize([resource]), [resource], [new ReportError("scope\u001b", "boom\u0007")]);
        using var output = new StringWriter();

        await ReportWriter.WriteAsync(report, format, null, new CliConsole(output, TextWriter.Null, Interactive: false), CancellationToken.None);

        var text = output.ToString();
        Assert.DoesNotContain(text, c => InertText.IsBidiControl(c) || (InertText.IsControl(c) && c is not '\n' and not '\r'));
        Assert.Contains(Marked, text, StringComparison.Ordinal);
        if (format == ReportFormat.Table)
        {
            Assert.Contains("Scan scan<U+001B>]0;x<U+0007>[bold]", text, StringComparison.Ordinal);
            Assert.Contains("CODE<U+001B>[5m", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Scan_MarkupInNameAndGroupAndControlsInTheGuest_TableShowsThemLiterally()
    {
        var fleet = new JsonObject
        {
            ["subscriptions"] = new JsonArray(new JsonObject
            {
                ["subscriptionId"] = "33333333-3333-3333-3333-333333333333",
                ["virtualMachines"] = new JsonArray(new JsonObject
                {
                    // ARM (and the fleet file) refuse control and bidirectional characters in a name; markup passes.
                    ["name"] = "vm[red]x",
                    ["resourceGroup"] = "rg[bold]",
                    ["osType"] = "Linux",
                    ["guest"] = JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"6.1\u001b]0;t\u0007","vulnerabilities":{"meltdown":"Not affected","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Enhanced / Automatic IBRS; IBPB: conditional"}}"""),
                }),
            }),
        };
        var path = Path.Combine(_directory, "fleet.json");
        await File.WriteAllTextAsync(path, fleet.ToJsonString());

        var run = await CliRun.InProcessAsync("scan", "--fleet", path, "--store", "none", "--format", "table");

        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        Assert.DoesNotContain(run.Out + run.Error, c => InertText.IsBidiControl(c) || (InertText.IsControl(c) && c is not '\n' and not '\r'));
        Assert.Contains("vm[red]x", run.Out, StringComparison.Ordinal);
        Assert.Contains("rg[bold]", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_StatusList_RefusedNotReadAsFlags()
    {
        var run = await CliRun.InProcessAsync("report", "--store", "UseDevelopmentStorage=true", "--status", "ActionRequired,Unknown");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("is not one of", run.Error, StringComparison.Ordinal);
    }
}
