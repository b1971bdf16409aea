using System.Text.Json.Nodes;

namespace Compliance.Functions.Tests.Scanning;

/// <summary>On its own the app runs the timer's schedule itself and fans batches out with the same bounds as the queue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StandaloneScanningTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_schedule_setting_starts_scans_without_a_functions_host()
    {
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2", Fleets.Unpatched())),
            settings: new Dictionary<string, string?> { ["Compliance:Scan:Schedule"] = "*/2 * * * * *" });

        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        JsonNode? finished = null;
        while (finished is null)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "No scheduled scan finished within 30 seconds.");
            await Task.Delay(200);
            var scans = JsonNode.Parse((await app.GetJsonAsync("api/scans")).GetRawText())!.AsArray();
            finished = scans.FirstOrDefault(s => s!["completedAt"] is not null);
        }

        Assert.Equal(2, finished["recorded"]!.GetValue<int>());
        Assert.Equal(1, (await app.GetJsonAsync("api/summary")).GetProperty("summary").GetProperty("actionRequired").GetInt32());
    }

    [Fact]
    public async Task Batches_run_with_the_configured_bounds_and_every_machine_is_checked_once()
    {
        const int latencyMs = 400;
        var machines = Enumerable.Range(1, 8).Select(i =>
        {
            var vm = Fleets.Vm($"vm-{i}");
            vm["runCommand"] = new JsonObject { ["latencyMs"] = latencyMs };
            return vm;
        }).ToArray();
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(machines),
            settings: new Dictionary<string, string?>
            {
                ["Compliance:Scan:BatchSize"] = "2",
                ["Compliance:Scan:MaxConcurrentBatches"] = "2",
                ["Compliance:Scan:MaxConcurrency"] = "1",
            });

        var scan = await app.ScanAsync();

        Assert.Equal(8, scan.GetProperty("recorded").GetInt32());
        var starts = app.Emulator.RunCommands.Select(r => r.At).Order().ToList();
        Assert.Equal(8, starts.Count);
        Assert.Equal(8, app.Emulator.RunCommands.Select(r => r.ResourceId.ToUpperInvariant()).Distinct().Count());

        // Two batches at a time, one machine at a time in each: a check holds its slot for at least the latency, so no
        // window shorter than that can see more than two checks start.
        var window = TimeSpan.FromMilliseconds(latencyMs - 50);
        for (var i = 0; i + 2 < starts.Count; i++)
        {
            Assert.True(starts[i + 2] - starts[i] >= window, $"Three checks started within {window.TotalMilliseconds} ms.");
        }
    }
}
