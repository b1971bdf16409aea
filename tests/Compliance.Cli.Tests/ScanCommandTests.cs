using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Cli.Tests;

public sealed class ScanCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compliance-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string WriteFleet(string json)
    {
        var path = Path.Combine(_directory, $"fleet-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static string CompliantFleet() => new JsonObject
    {
        ["subscriptions"] = new JsonArray(new JsonObject
        {
            ["subscriptionId"] = "33333333-3333-3333-3333-333333333333",
            ["cloudServices"] = new JsonArray(new JsonObject
            {
                ["name"] = "auto",
                ["resourceGroup"] = "rg",
                ["configuration"] = "<ServiceConfiguration osFamily=\"6\" osVersion=\"*\" />",
            }),
            ["virtualMachines"] = new JsonArray(new JsonObject
            {
                ["name"] = "lin",
                ["resourceGroup"] = "rg",
                ["osType"] = "Linux",
                ["guest"] = JsonNode.Parse("""{"schema":1,"os":"Linux","kernel":"6.1","vulnerabilities":{"meltdown":"Not affected","spectre_v1":"Mitigation: usercopy/swapgs barriers and __user pointer sanitization","spectre_v2":"Mitigation: Enhanced / Automatic IBRS; IBPB: conditional"}}"""),
            }),
        }),
    }.ToJsonString();

    [Fact]
    public async Task Scan_NothingToDo_ExitsZero()
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", WriteFleet(CompliantFleet()), "--format", "json");

        Assert.Equal(0, run.ExitCode);
        using var report = JsonDocument.Parse(run.Out);
        Assert.Equal(2, report.RootElement.GetProperty("summary").GetProperty("compliant").GetInt32());
    }

    [Fact]
    public async Task Scan_Out_WritesTheReportFileAndNothingToStdout()
    {
        var output = Path.Combine(_directory, "nested", "report.json");

        var run = await CliRun.InProcessAsync("scan", "--fleet", WriteFleet(CompliantFleet()), "--store", "none", "--out", output);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(string.Empty, run.Out);
        using var report = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(2, report.RootElement.GetProperty("resources").GetArrayLength());
        Assert.False(File.Exists(output + ".tmp"));
    }

    [Fact]
    public async Task Scan_Csv_OneRowPerResource()
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--format", "csv");

        var lines = run.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, run.ExitCode);
        Assert.StartsWith("id,kind,name,", lines[0], StringComparison.Ordinal);
        Assert.Equal(37, lines.Length);
    }

    [Fact]
    public async Task Scan_Table_ListsTheResourcesAndTheSummary()
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--format", "table");

        Assert.Equal(3, run.ExitCode);
        Assert.Contains("rdsh-01", run.Out, StringComparison.Ordinal);
        Assert.Contains("KVA_SHADOWING_REQUIRED", run.Out, StringComparison.Ordinal);
        Assert.Contains("Action required", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_SubscriptionFilter_LimitsTheFleet()
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--subscription", "22222222-2222-2222-2222-222222222222", "--format", "json");

        using var report = JsonDocument.Parse(run.Out);
        Assert.All(report.RootElement.GetProperty("resources").EnumerateArray(), r => Assert.Equal("22222222-2222-2222-2222-222222222222", r.GetProperty("subscriptionId").GetString()));
        Assert.Equal(9, report.RootElement.GetProperty("resources").GetArrayLength());
    }

    [Fact]
    public async Task Scan_SubscriptionNotInTheFleet_ExitsOneWithTheError()
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--subscription", "99999999-9999-9999-9999-999999999999", "--format", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("99999999-9999-9999-9999-999999999999", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("scan")]
    [InlineData("scan --fleet")]
    [InlineData("scan --fleet does-not-exist.json")]
    [InlineData("scan --fleet SAMPLE --format xml")]
    [InlineData("scan --fleet SAMPLE --store garbage")]
    [InlineData("scan --subscription not-a-guid")]
    [InlineData("scan --fleet SAMPLE --concurrency 0")]
    [InlineData("scan --fleet SAMPLE --bogus")]
    [InlineData("frobnicate")]
    public async Task Scan_UsageError_ExitsTwoWithAMessage(string commandLine)
    {
        var args = commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var run = await CliRun.InProcessAsync(args.Select(a => a == "SAMPLE" ? RepositoryFiles.SampleFleet : a).ToArray());

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("compliance: ", run.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, run.Out);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("""{"subscriptions":[{"subscriptionId":"33333333-3333-3333-3333-333333333333","virtualMachines":[{"name":"a","resourceGroup":"rg","osType":"Windows","powerState":"runing"}]}]}""")]
    [InlineData("""{"subscriptions":[{"subscriptionId":"33333333-3333-3333-3333-333333333333","virtualMachines":[{"name":"a","resourceGroup":"rg"}]}]}""")]
    public async Task Scan_InvalidFleet_ExitsTwoNamingTheProblem(string fleet)
    {
        var run = await CliRun.InProcessAsync("scan", "--fleet", WriteFleet(fleet), "--format", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("compliance: ", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExitsZero()
    {
        var run = await CliRun.InProcessAsync("scan", "--help");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("--fleet", run.Out, StringComparison.Ordinal);
    }
}
