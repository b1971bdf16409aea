using System.Text;
using Compliance.Emulator;
using Compliance.Functions.Functions;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// The resource-change queue's trigger, given the messages the emulator's system topic wrote to the queue (as Event
/// Grid writes them: one event per message, Base64 or as is, Event Grid schema or CloudEvents).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResourceChangedTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(EventMessageEncoding.Base64, EventDeliverySchema.EventGrid)]
    [InlineData(EventMessageEncoding.Raw, EventDeliverySchema.EventGrid)]
    [InlineData(EventMessageEncoding.Base64, EventDeliverySchema.CloudEvents)]
    [InlineData(EventMessageEncoding.Raw, EventDeliverySchema.CloudEvents)]
    public async Task RunAsync_WriteThenDelete_ReChecksThenRemovesTheVerdict(EventMessageEncoding encoding, EventDeliverySchema schema)
    {
        var vm = Fleets.VmId("web-1");
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched())), eventEncoding: encoding, eventSchema: schema);
        var function = harness.Function<ResourceChanged>();

        var write = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(vm));
        Assert.Equal(write.MessageText, Assert.Single(await harness.Events.PeekAsync()));
        await function.RunAsync(FunctionsHarness.Message(write.MessageText), CancellationToken.None);

        Assert.Single(harness.Emulator.RunCommands);
        Assert.Equal("ActionRequired", (await harness.Verdicts.GetStateAsync(vm, CancellationToken.None))!.State.Verdict.Status);

        // Delivered again (the host retries a message whose invocation failed): handled once.
        await function.RunAsync(FunctionsHarness.Message(write.MessageText, dequeueCount: 2), CancellationToken.None);
        Assert.Single(harness.Emulator.RunCommands);

        var delete = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Delete(vm));
        await function.RunAsync(FunctionsHarness.Message(delete.MessageText), CancellationToken.None);
        Assert.Null(await harness.Verdicts.GetStateAsync(vm, CancellationToken.None));
    }

    [Fact]
    public async Task RunAsync_ArrayOfEvents_HandlesEach()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a"), Fleets.Vm("b")), eventEncoding: EventMessageEncoding.Raw);
        var first = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(Fleets.VmId("a")));
        var second = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(Fleets.VmId("b")));

        await harness.Function<ResourceChanged>().RunAsync(FunctionsHarness.Message($"[{first.Json},{second.Json}]"), CancellationToken.None);

        Assert.Equal(2, harness.Emulator.RunCommands.Count);
        Assert.NotNull(await harness.Verdicts.GetStateAsync(Fleets.VmId("a"), CancellationToken.None));
        Assert.NotNull(await harness.Verdicts.GetStateAsync(Fleets.VmId("b"), CancellationToken.None));
    }

    [Theory]
    [InlineData("not JSON")]
    [InlineData("42")]
    [InlineData("{\"id\":\"e-1\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\"}")]
    [InlineData("{\"id\":\"\\ud800\",\"eventType\":\"Microsoft.Resources.ResourceWriteSuccess\",\"subject\":\"/subscriptions/x\"}")]
    public async Task RunAsync_NotResourceEvents_FailsWithInvalidDataAndChangesNothing(string text)
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));

        foreach (var message in new[] { text, Convert.ToBase64String(Encoding.UTF8.GetBytes(text)) })
        {
            await Assert.ThrowsAsync<InvalidDataException>(() => harness.Function<ResourceChanged>().RunAsync(FunctionsHarness.Message(message), CancellationToken.None));
        }

        Assert.Empty(harness.Emulator.RunCommands);
    }
}
