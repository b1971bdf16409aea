using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Emulator.Azurite;

namespace Compliance.Cli.Tests;

/// <summary><c>scan --store</c> and <c>report --store</c> against a real Azurite.</summary>
public sealed class StoreCommandsTests(AzuriteFixture store) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ScanThenReport_TheStoredStateIsTheScansReport()
    {
        var scan = await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--store", store.ConnectionString, "--format", "json");
        var report = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json");

        Assert.Equal(3, scan.ExitCode);
        Assert.Equal(3, report.ExitCode);
        using var scanned = JsonDocument.Parse(scan.Out);
        using var stored = JsonDocument.Parse(report.Out);
        Assert.Equal(scanned.RootElement.GetProperty("scanId").GetString(), stored.RootElement.GetProperty("scanId").GetString());
        Assert.Equal(Verdicts(scanned), Verdicts(stored));
        Assert.Equal(scanned.RootElement.GetProperty("summary").GetRawText(), stored.RootElement.GetProperty("summary").GetRawText());
    }

    [Fact]
    public async Task Report_Filters()
    {
        await CliRun.InProcessAsync("scan", "--fleet", RepositoryFiles.SampleFleet, "--store", store.ConnectionString, "--format", "json");

        var kva = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json", "--action", "KvaShadowing", "--subscription", "11111111-1111-1111-1111-111111111111");
        var unknown = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "csv", "--status", "unknown");

        using var kvaReport = JsonDocument.Parse(kva.Out);
        Assert.Equal(
            ["build-agent-01", "public-web", "rdsh-01", "rdsh-02"],
            kvaReport.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(0, unknown.ExitCode);
        Assert.Equal(9, unknown.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Scan_AVmWithA900CharacterName_IsReportedWithAnError_EveryOtherVerdictIsStored_AndTheReportIsWritten()
    {
        var longName = "vm-" + new string('n', 897);
        var fleet = JsonNode.Parse(File.ReadAllText(RepositoryFiles.SampleFleet))!;
        var vms = fleet["subscriptions"]![0]!["virtualMachines"]!.AsArray();
        var copy = vms.First(vm => vm!["guest"] is not null && vm["powerState"]!.GetValue<string>() == "running")!.DeepClone();
        copy["name"] = longName;
        vms.Add(copy);
        var directory = Directory.CreateTempSubdirectory("compliance-long-name-");
        try
        {
            var fleetFile = Path.Combine(directory.FullName, "fleet.json");
            var reportFile = Path.Combine(directory.FullName, "report.json");
            await File.WriteAllTextAsync(fleetFile, fleet.ToJsonString());
            var scan = await CliRun.InProcessAsync("scan", "--fleet", fleetFile, "--store", store.ConnectionString, "--format", "json", "--out", reportFile);
            var stored = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json");

            // Part of the scan failed (one verdict could not be stored): exit code 1, and the report is written.
            Assert.Equal(1, scan.ExitCode);
            using var report = JsonDocument.Parse(File.ReadAllText(reportFile));
            var resources = report.RootElement.GetProperty("resources").EnumerateArray().ToList();
            Assert.Contains(resources, r => r.GetProperty("name").GetString() == longName && r.GetProperty("status").GetString() != "Unknown");
            var error = Assert.Single(report.RootElement.GetProperty("errors").EnumerateArray());
            Assert.Contains("not stored", error.GetProperty("message").GetString(), StringComparison.Ordinal);
            Assert.Contains(longName[..50], error.GetProperty("scope").GetString(), StringComparison.Ordinal);
            Assert.Contains("not stored", scan.Error, StringComparison.Ordinal);

            using var storedReport = JsonDocument.Parse(stored.Out);
            var storedNames = storedReport.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
            Assert.Equal(resources.Count - 1, storedNames.Count);
            Assert.DoesNotContain(longName, storedNames);
            Assert.Equal(
                resources.Where(r => r.GetProperty("name").GetString() != longName).Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal),
                storedReport.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("report")]
    [InlineData("report --store none")]
    [InlineData("report --store STORE --status Broken")]
    [InlineData("report --store STORE --subscription x")]
    [InlineData("scan --fleet SAMPLE --store not-a-connection-string")]
    [InlineData("scan --fleet SAMPLE --store Foo=bar;AccountKey=c2VjcmV0LWtleS12YWx1ZQ==")]
    public async Task UsageErrors_ExitTwo(string commandLine)
    {
        var args = commandLine.Split(' ').Select(a => a == "STORE" ? store.ConnectionString : a == "SAMPLE" ? RepositoryFiles.SampleFleet : a).ToArray();

        var run = await CliRun.InProcessAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(AzuriteProcess.AccountKey, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleS12YWx1ZQ", run.Error, StringComparison.Ordinal);
    }

    private static string[] Verdicts(JsonDocument report) =>
        report.RootElement.GetProperty("resources").EnumerateArray()
            .Select(r => $"{r.GetProperty("id").GetString()}|{r.GetProperty("status").GetString()}|{string.Join(',', r.GetProperty("actions").EnumerateArray().Select(a => a.GetString()))}")
            .ToArray();
}
