using System.Text.Json.Nodes;

namespace Compliance.Server.Tests.Scanning;

/// <summary>On its own the app runs the timer's schedule itself.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StandaloneSchedulerTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ExecuteAsync_ScheduleSetting_StartsScansWithoutTheHost()
    {
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2", guest: Fleets.Unpatched())),
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
}
