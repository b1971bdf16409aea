using System.Text.Json.Nodes;

namespace Compliance.Server.Tests.Scanning;

/// <summary>On its own the app fans batches out with the same bounds as the Functions queue.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ScanQueueBoundsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StartScanAsync_BoundsConfigured_NoMoreChecksAtOnceAndEachMachineOnce()
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
