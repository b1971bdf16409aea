using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;
using Compliance.Core.Inventory;
using Compliance.Core.Storage;
using Compliance.Emulator;

namespace Compliance.Reliability.Tests;

/// <summary>
/// The app on its own, a process of its own, killed (SIGKILL) in the middle of a scan and started again: its batches
/// come back from the queue after their visibility timeout, the scan completes, and nothing is lost, duplicated or
/// checked twice.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ServiceKillTests(ReliabilityFixture fixture)
{
    private static readonly string[] _sinks = [LoopbackReceiver.WebhookSink, LoopbackReceiver.EventGridSink];

    [Fact]
    public async Task KilledMidScanAndRestarted_EveryVerdictAnUnbrokenHistoryACompletedScanAndEachNotificationOnce()
    {
        var machines = Math.Max(48, ReliabilitySettings.Machines);
        var fleet = ReliabilityFleet.Create(machines);
        await using var emulator = await ArmEmulator.StartAsync(FleetDocument.Parse(fleet.Json), new ArmEmulatorOptions { RunCommandLatency = TimeSpan.FromMilliseconds(400) });
        await using var receiver = await LoopbackReceiver.StartAsync();
        var prefix = "s" + Guid.NewGuid().ToString("N")[..12];
        var queue = "k" + Guid.NewGuid().ToString("N")[..12];
        var certificate = Path.Combine(Path.GetTempPath(), $"compliance-emulator-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(certificate, emulator.Certificate.ExportCertificatePem());
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = fixture.ConnectionString, TablePrefix = prefix }, new StaticTokenCredential("unused"));
        var verdicts = new TableVerdictStore(tables);
        var ledger = new TableScanLedger(tables);
        var port = LoopbackPort.Free();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
        var settings = Settings(emulator, receiver, prefix, queue, certificate, port);
        try
        {
            string scanId;
            IReadOnlyCollection<string> storedBeforeKill;
            using (var first = Start(settings))
            {
                await WaitUntilAsync(http, "api/summary", TimeSpan.FromMinutes(1));
                using var started = await http.PostAsync("api/scans", JsonContent.Create(new { }));
                Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
                scanId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("scanId").GetString()!;

                // In the middle: a third of the verdicts stored, the scan still running.
                storedBeforeKill = await WaitForStoredAsync(verdicts, scanId, machines / 3, TimeSpan.FromMinutes(2));
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            var killed = (await ledger.GetScanAsync(scanId, CancellationToken.None))!;
            Assert.Equal(ScanStatus.Running, killed.Status);
            Assert.InRange(storedBeforeKill.Count, machines / 3, machines - 1);

            using (var second = Start(settings))
            {
                await AppUnderTest.WaitForScanAsync(http, scanId, TimeSpan.FromMinutes(3));
                await Convergence.WaitForEmptyOutboxAsync(verdicts, ledger, fleet, TimeSpan.FromSeconds(60));
                second.Kill(entireProcessTree: true);
                await second.WaitForExitAsync();
            }

            var scan = (await ledger.GetScanAsync(scanId, CancellationToken.None))!;
            Assert.Equal(ScanStatus.Completed, scan.Status);
            Assert.Equal(machines, scan.Recorded);
            Assert.Empty(scan.Errors);
            var summary = (await ledger.GetSummaryAsync(CancellationToken.None))!.Value.Summary;
            Assert.Equal(machines, summary.Total);
            Assert.Equal(fleet.Expected.Values.Count(e => e.Status == "Compliant"), summary.Compliant);
            Assert.Equal(fleet.Expected.Values.Count(e => e.Status == "ActionRequired"), summary.ActionRequired);
            Assert.Equal(JsonSerializer.Serialize(summary), JsonSerializer.Serialize(scan.Summary));

            // A verdict stored before the kill is never checked again.
            var runCommands = emulator.RunCommands.GroupBy(r => new ResourceId(r.ResourceId)).ToDictionary(g => g.Key, g => g.Count());
            Assert.All(storedBeforeKill, id => Assert.InRange(runCommands.GetValueOrDefault(new ResourceId(id)), 0, 1));
            Assert.True(runCommands.Values.Sum() > storedBeforeKill.Count);

            var report = await Convergence.CheckAsync(verdicts, ledger, fleet, receiver, _sinks);
            var figures = FaultFigures.Of(
                "The app on its own killed (SIGKILL) in the middle of a scan, then started again",
                $"kills: 1 after {storedBeforeKill.Count} of {machines} verdicts",
                machines,
                1,
                await Convergence.WrongCompliantAsync(verdicts, fleet),
                report);
            fixture.Ledger.Add(figures);
            Assert.True(figures.Clean, $"{figures}{Environment.NewLine}{string.Join(Environment.NewLine, report.Problems)}");
        }
        finally
        {
            File.Delete(certificate);
            await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        }
    }

    private Dictionary<string, string> Settings(ArmEmulator emulator, LoopbackReceiver receiver, string prefix, string queue, string certificate, int port)
    {
        var settings = new Dictionary<string, string>
        {
            ["COMPLIANCE_TEST_ARM_TOKEN"] = emulator.AccessToken,
            ["COMPLIANCE_TEST_ARM_CERTIFICATE"] = certificate,
            ["urls"] = $"http://127.0.0.1:{port}",
            ["Compliance__Arm__Endpoint"] = emulator.Endpoint.ToString(),
            ["Compliance__Arm__RetryDelay"] = "00:00:00.050",
            ["Compliance__Arm__RunCommandConflictBackoff"] = "00:00:00.100",
            ["Compliance__Storage__ConnectionString"] = fixture.ConnectionString,
            ["Compliance__Storage__TablePrefix"] = prefix,
            ["Compliance__Queue__QueueName"] = queue,
            // A killed worker's batches come back this soon; a live one keeps its own hidden every half of it.
            ["Compliance__Queue__VisibilityTimeout"] = "00:00:06",
            ["Compliance__Queue__RetryDelay"] = "00:00:01",
            ["Compliance__Queue__MaxPollingInterval"] = "00:00:00.200",
            ["Compliance__Scan__Schedule"] = "0 0 0 1 1 *",
            ["Compliance__Scan__BatchSize"] = "8",
            ["Compliance__Scan__MaxConcurrency"] = "2",
            ["Compliance__Scan__MaxConcurrentBatches"] = "2",
            ["Compliance__Notifications__DispatchLease"] = "00:00:03",
            ["Compliance__Api__RequestsPerMinute"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in receiver.Settings)
        {
            settings[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        return settings;
    }

    /// <summary>The app on its own (tests/Compliance.ServiceHost) as a process of its own, its output drained.</summary>
    private static Process Start(Dictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "compliance-service-host.dll"));
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntilAsync(HttpClient http, string path, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(path);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"The app did not answer {path} in time.");
            await Task.Delay(100);
        }
    }

    // The ids of the resources this scan has stored, once there are at least <paramref name="count"/>.
    private static async Task<IReadOnlyCollection<string>> WaitForStoredAsync(TableVerdictStore verdicts, string scanId, int count, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var stored = new List<string>();
            await foreach (var state in verdicts.QueryStatesAsync(StateQuery.All, CancellationToken.None))
            {
                if (state.State.ScanId == scanId)
                {
                    stored.Add(state.State.ResourceId);
                }
            }

            if (stored.Count >= count)
            {
                return stored;
            }

            Assert.True(DateTimeOffset.UtcNow < deadline, $"Only {stored.Count} verdicts were stored in time.");
            await Task.Delay(20);
        }
    }
}
