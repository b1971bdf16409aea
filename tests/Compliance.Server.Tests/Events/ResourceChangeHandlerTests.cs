using System.Text.Json.Nodes;
using Compliance.Server.Events;

namespace Compliance.Server.Tests.Events;

/// <summary>
/// The limit on events per message. No queue message reaches it with well-formed events (a message holds at most 64 KiB:
/// a few hundred of them), so it is checked here on the handler itself.
/// </summary>
public sealed class ResourceChangeHandlerTests
{
    [Fact]
    public void Read_MaxEvents_ReadsEach()
    {
        var changes = ResourceChangeHandler.Read(Events(ResourceChangeHandler.MaxEvents));

        Assert.Equal(ResourceChangeHandler.MaxEvents, changes.Count);
        Assert.Equal("e-4999", changes[^1].EventId);
    }

    [Fact]
    public void Read_OneEventMoreThanMaxEvents_RefusedAsNotEvents()
    {
        var refused = Assert.Throws<InvalidDataException>(() => ResourceChangeHandler.Read(Events(ResourceChangeHandler.MaxEvents + 1)));

        Assert.Contains("at most 5000 events", refused.Message, StringComparison.Ordinal);
    }

    private static string Events(int count) => new JsonArray([.. Enumerable.Range(0, count).Select(i => (JsonNode)new JsonObject
    {
        ["id"] = $"e-{i}",
        ["eventType"] = "Microsoft.Resources.ResourceWriteSuccess",
        ["subject"] = Fleets.VmId("web-1"),
        ["data"] = new JsonObject { ["operationName"] = "Microsoft.Compute/virtualMachines/write" },
    })]).ToJsonString();
}
