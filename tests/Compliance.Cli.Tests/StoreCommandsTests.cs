using System.Text.Json;
using Compliance.Emulator.Azurite;

namespace Compliance.Cli.Tests;

/// <summary><c>scan --store</c> and <c>report --store</c> against a real Azurite.</summary>
public sealed class StoreCommandsTests(StoreCommandsTests.AzuriteStore store) : IClassFixture<StoreCommandsTests.AzuriteStore>
{
    [Fact]
    public async Task ScanThenReport_TheStoredStateIsTheScansReport()
    {
        var scan = await CliRun.InProcessAsync("scan", "--fleet", Repository.SampleFleet, "--store", store.ConnectionString, "--format", "json");
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
        await CliRun.InProcessAsync("scan", "--fleet", Repository.SampleFleet, "--store", store.ConnectionString, "--format", "json");

        var kva = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "json", "--action", "KvaShadowing", "--subscription", "11111111-1111-1111-1111-111111111111");
        var unknown = await CliRun.InProcessAsync("report", "--store", store.ConnectionString, "--format", "csv", "--status", "unknown");

        using var kvaReport = JsonDocument.Parse(kva.Out);
        Assert.Equal(
            ["build-agent-01", "public-web", "rdsh-01", "rdsh-02"],
            kvaReport.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(0, unknown.ExitCode);
        Assert.Equal(9, unknown.Out.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
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
        var args = commandLine.Split(' ').Select(a => a == "STORE" ? store.ConnectionString : a == "SAMPLE" ? Repository.SampleFleet : a).ToArray();

        var run = await CliRun.InProcessAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.DoesNotContain(AzuriteProcess.AccountKey, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0LWtleS12YWx1ZQ", run.Error, StringComparison.Ordinal);
    }

    private static string[] Verdicts(JsonDocument report) =>
        report.RootElement.GetProperty("resources").EnumerateArray()
            .Select(r => $"{r.GetProperty("id").GetString()}|{r.GetProperty("status").GetString()}|{string.Join(',', r.GetProperty("actions").EnumerateArray().Select(a => a.GetString()))}")
            .ToArray();

    /// <summary>One Azurite for the class, on a free port, in memory.</summary>
    public sealed class AzuriteStore : IAsyncLifetime
    {
        private AzuriteProcess? _azurite;

        public string ConnectionString => _azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started.");

        public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

        public async Task DisposeAsync()
        {
            if (_azurite is not null)
            {
                await _azurite.DisposeAsync();
            }
        }
    }
}
