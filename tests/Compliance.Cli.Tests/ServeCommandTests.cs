using System.Net;
using System.Text;
using System.Text.Json;

namespace Compliance.Cli.Tests;

/// <summary><c>compliance serve</c>: the app on its own in the CLI's process, over HTTP on loopback.</summary>
public sealed class ServeCommandTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Serve_SampleFleet_ServesTheApiAndTheDashboardAndScansOnRequest()
    {
        var port = LoopbackPort.Free();
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var serving = CliApplication.RunAsync(
            ["serve", "--fleet", RepositoryFiles.SampleFleet, "--store", azurite.ConnectionString, "--urls", $"http://127.0.0.1:{port}"],
            new CliConsole(TextWriter.Synchronized(output), TextWriter.Synchronized(error), Interactive: false),
            stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        try
        {
            await WaitUntilServingAsync(http, serving, error);
            Assert.Contains($"http://127.0.0.1:{port}/api/dashboard", output.ToString(), StringComparison.Ordinal);

            using var started = await http.PostAsync("api/scans", new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            var scanId = (await AppUnderTest.ReadJsonAsync(started)).GetProperty("scanId").GetString()!;
            var scan = await AppUnderTest.WaitForScanAsync(http, scanId, TimeSpan.FromMinutes(2));

            var summary = await GetJsonAsync(http, "api/summary");
            Assert.Equal(scanId, summary.GetProperty("scanId").GetString());
            Assert.True(summary.GetProperty("summary").GetProperty("actionRequired").GetInt32() > 0);
            var listed = await GetJsonAsync(http, "api/compliance");
            Assert.Equal(summary.GetProperty("summary").GetProperty("total").GetInt32(), listed.GetProperty("items").GetArrayLength());
            Assert.Equal(scan.GetProperty("recorded").GetInt32(), listed.GetProperty("items").GetArrayLength());

            using var dashboard = await http.GetAsync("api/dashboard");
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
            Assert.Equal("text/html", dashboard.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await serving);
        Assert.DoesNotContain("AccountKey", output.ToString() + error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_Serve_ServesTheDemosVerdictsUntilStopped()
    {
        var outDir = Directory.CreateTempSubdirectory("compliance-demo-serve-");
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var synchronizedOutput = TextWriter.Synchronized(output);
        var demo = CliApplication.RunAsync(
            ["demo", "--serve", "--out-dir", outDir.FullName],
            new CliConsole(synchronizedOutput, TextWriter.Synchronized(error), Interactive: false),
            stop.Token);
        try
        {
            var dashboard = await WaitForDashboardUrlAsync(output, demo, error);
            using var http = new HttpClient();
            using var page = await http.GetAsync(dashboard);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);

            var summary = await GetJsonAsync(http, new Uri(dashboard, "/api/summary").ToString());
            var report = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(outDir.FullName, "report.json"))).RootElement;
            Assert.Equal(report.GetProperty("scanId").GetString(), summary.GetProperty("scanId").GetString());
            Assert.Equal(report.GetProperty("resources").GetArrayLength(), summary.GetProperty("summary").GetProperty("total").GetInt32());
        }
        finally
        {
            await stop.CancelAsync();
        }

        Assert.Equal(0, await demo);
        outDir.Delete(recursive: true);
    }

    [Theory]
    [InlineData("--store none", "serve needs a store")]
    [InlineData("--store STORE --urls http://0.0.0.0:0", "Compliance:Api:ReadKey")]
    [InlineData("--store STORE --subscription production", "is not a subscription id")]
    [InlineData("--store STORE --subscription \u001b[2J\u0007", "'?[2J?' is not a subscription id")]
    public async Task Serve_WhatItCannotServe_ExitsWithAUsageError(string options, string message)
    {
        string[] args = ["serve", "--fleet", RepositoryFiles.SampleFleet, .. options.Split(' ').Select(o => o == "STORE" ? azurite.ConnectionString : o)];

        var run = await CliRun.InProcessAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Error, c => char.IsControl(c) && c is not '\n' and not '\r');
    }

    private static async Task WaitUntilServingAsync(HttpClient http, Task<int> serving, StringWriter error)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(2);
        while (true)
        {
            Assert.False(serving.IsCompleted, $"serve ended early: {error}");
            try
            {
                using var response = await http.GetAsync("api/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"serve did not answer within 2 minutes: {error}");
            await Task.Delay(100);
        }
    }

    private static async Task<Uri> WaitForDashboardUrlAsync(StringWriter output, Task<int> running, StringWriter error)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        while (true)
        {
            var line = output.ToString().Split('\n').FirstOrDefault(l => l.TrimStart().StartsWith("Dashboard: ", StringComparison.Ordinal));
            if (line is not null)
            {
                return new Uri(line.Trim()["Dashboard: ".Length..]);
            }

            Assert.False(running.IsCompleted, $"the demo ended without serving: {output} {error}");
            Assert.True(DateTimeOffset.UtcNow < deadline, $"the demo printed no dashboard URL within 3 minutes: {output} {error}");
            await Task.Delay(100);
        }
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await AppUnderTest.ReadJsonAsync(response);
    }
}
