using System.Text.Json;

namespace Compliance.Cli.Tests;

/// <summary>The CLI as a real process: exit codes, and quiet, pure output when redirected.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("compliance-process-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Scan_Redirected_StdoutIsOnlyTheReport()
    {
        var run = await CliRun.ProcessAsync(_directory, "scan", "--fleet", Repository.SampleFleet, "--store", "none", "--format", "json");

        Assert.Equal(3, run.ExitCode);
        using var report = JsonDocument.Parse(run.Out);
        Assert.Equal(29, report.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
        Assert.Equal(string.Empty, run.Error);
    }

    [Fact]
    public async Task Demo_WritesBothReportsAndExitsZero()
    {
        var run = await CliRun.ProcessAsync(_directory, "demo");

        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("Compliance demo", run.Out, StringComparison.Ordinal);
        Assert.Contains("KVA_SHADOWING_REQUIRED", run.Out, StringComparison.Ordinal);
        var json = Path.Combine(_directory, "demo-output", "report.json");
        var csv = Path.Combine(_directory, "demo-output", "report.csv");
        Assert.Contains(json, run.Out, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(29, report.RootElement.GetProperty("summary").GetProperty("total").GetInt32());
        Assert.Equal(30, File.ReadAllLines(csv).Length);
    }

    [Fact]
    public async Task Demo_GeneratedFleet_ScansThatManyMachines()
    {
        var run = await CliRun.ProcessAsync(_directory, "demo", "--machines", "60", "--seed", "7", "--out-dir", "gen");

        Assert.True(run.ExitCode == 0, run.Error);
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "gen", "report.json")));
        var machines = report.RootElement.GetProperty("resources").EnumerateArray().Count(r => r.GetProperty("kind").GetString() != "CloudService");
        Assert.Equal(60, machines);
    }
}
