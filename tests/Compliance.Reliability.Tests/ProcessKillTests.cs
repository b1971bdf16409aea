using System.Diagnostics;
using Compliance.Azure.ResourceManager;
using Compliance.Azure.Storage;

namespace Compliance.Reliability.Tests;

/// <summary>
/// A real process killed (SIGKILL) after it stored its verdicts and while its first notification was on the wire,
/// before any was accepted; the next run must deliver every due notification exactly once.
/// </summary>
[Collection(ReliabilityCollection.Name)]
public sealed class ProcessKillTests(ReliabilityFixture fixture)
{
    private static readonly string[] _sinks = [LoopbackReceiver.WebhookSink, LoopbackReceiver.EventGridSink];

    [Fact]
    public async Task KilledBetweenStoringAndNotifying_NextRunDeliversEachNotificationOnce()
    {
        var fleet = ReliabilityFleet.Create(ReliabilitySettings.Machines);
        var fleetFile = Path.Combine(Path.GetTempPath(), $"compliance-kill-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(fleetFile, fleet.Json);
        var prefix = "k" + Guid.NewGuid().ToString("N")[..12];
        var tables = TableStoreTables.Create(new TableStoreOptions { ConnectionString = fixture.ConnectionString, TablePrefix = prefix }, new StaticTokenCredential("unused"));
        var verdicts = new TableVerdictStore(tables);
        var ledger = new TableScanLedger(tables);
        await using var receiver = await LoopbackReceiver.StartAsync();
        try
        {
            receiver.Mode = ReceiverMode.Hold;
            using (var first = Start(fleetFile, fixture.ConnectionString, prefix, receiver))
            {
                await Eventually.HoldsAsync(() => receiver.Held > 0, TimeSpan.FromMinutes(2), "a notification to hold");
                first.Kill(entireProcessTree: true);
                await first.WaitForExitAsync();
            }

            // Every verdict was stored before the first notification left.
            var stored = await verdicts.GetStatesAsync([.. fleet.Expected.Keys], CancellationToken.None);
            Assert.Equal(fleet.Expected.Count, stored.Count);
            Assert.Empty(receiver.Notifications);

            // The next run: one guest patched meanwhile, the sinks answer again.
            receiver.Mode = ReceiverMode.Up;
            fleet.PatchOne(emulator: null);
            await File.WriteAllTextAsync(fleetFile, fleet.Json);
            using (var second = Start(fleetFile, fixture.ConnectionString, prefix, receiver))
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await second.WaitForExitAsync(timeout.Token);
                Assert.True(second.ExitCode == 3, $"The second run exited with {second.ExitCode}: {await second.StandardError.ReadToEndAsync()}");
            }

            await Convergence.WaitForEmptyOutboxAsync(verdicts, ledger, fleet, TimeSpan.FromSeconds(30));
            var report = await Convergence.CheckAsync(verdicts, ledger, fleet, receiver, _sinks);
            var figures = FaultFigures.Of(
                "Process killed (SIGKILL) after storing its verdicts, while its first notification was in flight",
                "kills: 1",
                fleet.Expected.Count,
                2,
                await Convergence.WrongCompliantAsync(verdicts, fleet),
                report);
            fixture.Ledger.Add(figures);
            Assert.True(figures.Clean, $"{figures}{Environment.NewLine}{string.Join(Environment.NewLine, report.Problems)}");
        }
        finally
        {
            File.Delete(fleetFile);
            File.Delete(fleetFile + ".report.json");
            await Task.WhenAll(tables.All.Select(t => t.DeleteAsync()));
        }
    }

    /// <summary>The CLI scanning the fleet file into the store, notifying both sinks, as its own process.</summary>
    private static Process Start(string fleetFile, string connectionString, string prefix, LoopbackReceiver receiver)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "compliance.dll"));
        foreach (var argument in new[] { "scan", "--fleet", fleetFile, "--store", connectionString, "--format", "json", "--out", fleetFile + ".report.json" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["Compliance__Storage__TablePrefix"] = prefix;
        start.Environment["Compliance__Notifications__DispatchLease"] = "00:00:03";
        foreach (var (key, value) in receiver.Settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        // Drained so that a chatty process never blocks on a full pipe; read at the end when needed.
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        return process;
    }
}
