using System.Text;
using Compliance.Emulator;
using Compliance.Functions.Functions;

namespace Compliance.Functions.Tests.Functions;

/// <summary>
/// The resource-change queue's trigger, given the messages the emulator's system topic wrote to the queue (as Event
/// Grid writes them: one event per message, Base64 or as is, Event Grid schema or CloudEvents), and the re-check queue's
/// trigger that asks ARM before anything is believed.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResourceChangedTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData(EventMessageEncoding.Base64, EventDeliverySchema.EventGrid)]
    [InlineData(EventMessageEncoding.Raw, EventDeliverySchema.EventGrid)]
    [InlineData(EventMessageEncoding.Base64, EventDeliverySchema.CloudEvents)]
    [InlineData(EventMessageEncoding.Raw, EventDeliverySchema.CloudEvents)]
    public async Task RunAsync_WriteThenDelete_ReChecksThenRemovesTheVerdictOnlyOnceArmSays404(EventMessageEncoding encoding, EventDeliverySchema schema)
    {
        var vm = Fleets.VmId("web-1");
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched()), Fleets.Vm("web-2")), eventEncoding: encoding, eventSchema: schema);
        var function = harness.Function<ResourceChanged>();

        var write = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(vm));
        Assert.Equal(write.MessageText, Assert.Single(await harness.Events.PeekAsync()));
        await function.RunAsync(FunctionsHarness.Message(write.MessageText), CancellationToken.None);

        // The event only scheduled the re-check: ARM is asked when it runs.
        Assert.Empty(harness.Emulator.RunCommands);
        Assert.Equal(1, await harness.RunRechecksAsync());
        Assert.Single(harness.Emulator.RunCommands);
        Assert.Equal("ActionRequired", (await harness.Verdicts.GetStateAsync(vm, CancellationToken.None))!.State.Verdict.Status);

        // Delivered again (the host retries a message whose invocation failed): handled once.
        await function.RunAsync(FunctionsHarness.Message(write.MessageText, dequeueCount: 2), CancellationToken.None);
        Assert.Equal(0, await harness.RunRechecksAsync());
        Assert.Single(harness.Emulator.RunCommands);

        // A delete of a machine that still exists is not believed: the re-check finds it and refreshes its verdict.
        var forged = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Delete(vm));
        await function.RunAsync(FunctionsHarness.Message(forged.MessageText), CancellationToken.None);
        Assert.Equal(1, await harness.RunRechecksAsync());
        Assert.NotNull(await harness.Verdicts.GetStateAsync(vm, CancellationToken.None));

        harness.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-2"))));
        var delete = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Delete(vm));
        await function.RunAsync(FunctionsHarness.Message(delete.MessageText), CancellationToken.None);
        Assert.Equal(1, await harness.RunRechecksAsync());
        Assert.Null(await harness.Verdicts.GetStateAsync(vm, CancellationToken.None));
    }

    [Fact]
    public async Task RestartWithTheAgentNotReady_EndsWithARealVerdictOnceTheAgentIsUp_WithoutAScan()
    {
        var vm = Fleets.VmId("web-1");
        var settings = new Dictionary<string, string?> { ["Compliance:Events:SettleRetries"] = "00:00:01,00:00:01,00:00:01" };
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Patched())), settings, eventEncoding: EventMessageEncoding.Raw);
        var function = harness.Function<ResourceChanged>();
        await function.RunAsync(FunctionsHarness.Message((await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(vm))).MessageText), CancellationToken.None);
        await harness.RunRechecksAsync();
        Assert.Equal("Compliant", (await harness.Verdicts.GetStateAsync(vm, CancellationToken.None))!.State.Verdict.Status);

        // The restart: the guest comes back on an old kernel, and its agent is not ready yet.
        harness.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched(), agent: "NotReady"))));
        var restart = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Action(vm, "restart"));
        await function.RunAsync(FunctionsHarness.Message(restart.MessageText), CancellationToken.None);
        Assert.Equal(1, await harness.RunRechecksAsync());

        // Still settling: the earlier verdict stands, no Unknown in between, and a later try is pending.
        Assert.Equal("Compliant", (await harness.Verdicts.GetStateAsync(vm, CancellationToken.None))!.State.Verdict.Status);
        Assert.Equal(1, await harness.Rechecks.CountAsync());

        harness.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched()))));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, await harness.RunRechecksAsync());

        var state = (await harness.Verdicts.GetStateAsync(vm, CancellationToken.None))!.State;
        Assert.Equal("ActionRequired", state.Verdict.Status);
        Assert.Equal($"event-{restart.EventId}", state.ScanId);
        Assert.Equal(0, await harness.Rechecks.CountAsync());
    }

    [Fact]
    public async Task RunAsync_BurstOf200WritesForOneMachine_OneRunCommand()
    {
        var vm = Fleets.VmId("web-1");
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")), eventEncoding: EventMessageEncoding.Raw);
        var function = harness.Function<ResourceChanged>();

        for (var i = 0; i < 200; i++)
        {
            // A new id each time, as a forger would send them: the inbox alone would take every one.
            await function.RunAsync(FunctionsHarness.Message(ResourceEventJson(vm, $"burst-{i}")), CancellationToken.None);
        }

        Assert.Equal(1, await harness.Rechecks.CountAsync());
        Assert.Equal(1, await harness.RunRechecksAsync());
        Assert.Single(harness.Emulator.RunCommands);
    }

    [Fact]
    public async Task RecheckResource_ArmFailsOnTheConfirmingRead_NothingRemovedAndTheInvocationFails()
    {
        var vm = Fleets.VmId("web-1");
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2")), eventEncoding: EventMessageEncoding.Raw);
        var function = harness.Function<ResourceChanged>();
        await function.RunAsync(FunctionsHarness.Message(ResourceEventJson(vm, "w-1")), CancellationToken.None);
        await harness.RunRechecksAsync();
        Assert.NotNull(await harness.Verdicts.GetStateAsync(vm, CancellationToken.None));

        harness.Emulator.SetFaults(new FaultOptions { ErrorRate = 1, UnavailableShare = 0 });
        await function.RunAsync(FunctionsHarness.Message(ResourceEventJson(vm, "d-1", delete: true)), CancellationToken.None);

        await Assert.ThrowsAnyAsync<Exception>(harness.RunRechecksAsync);
        Assert.True(harness.Emulator.InjectedFaults > 0);
        Assert.NotNull(await harness.Verdicts.GetStateAsync(vm, CancellationToken.None));
    }

    private static string ResourceEventJson(string resourceId, string id, bool delete = false) =>
        delete
            ? $$$"""{"id":"{{{id}}}","eventType":"Microsoft.Resources.ResourceDeleteSuccess","subject":"{{{resourceId}}}","eventTime":"2026-11-21T10:00:00Z","data":{"operationName":"Microsoft.Compute/virtualMachines/delete","resourceUri":"{{{resourceId}}}"}}"""
            : $$$"""{"id":"{{{id}}}","eventType":"Microsoft.Resources.ResourceWriteSuccess","subject":"{{{resourceId}}}","eventTime":"2026-11-21T10:00:00Z","data":{"operationName":"Microsoft.Compute/virtualMachines/write","resourceUri":"{{{resourceId}}}"}}""";

    [Fact]
    public async Task RunAsync_ArrayOfEvents_HandlesEach()
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a"), Fleets.Vm("b")), eventEncoding: EventMessageEncoding.Raw);
        var first = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(Fleets.VmId("a")));
        var second = await harness.Emulator.PublishResourceEventAsync(ResourceEvent.Write(Fleets.VmId("b")));

        await harness.Function<ResourceChanged>().RunAsync(FunctionsHarness.Message($"[{first.Json},{second.Json}]"), CancellationToken.None);

        Assert.Equal(2, await harness.RunRechecksAsync());
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
        Assert.Equal(0, await harness.Rechecks.CountAsync());
    }

    [Theory]
    [InlineData("not JSON")]
    [InlineData("{\"resourceId\":\"/subscriptions/x\",\"lease\":\"e\"}")]
    [InlineData("{\"resourceId\":\"\\ud800\",\"lease\":\"e\"}")]
    public async Task RecheckResource_NotARecheck_FailsWithInvalidDataAndChangesNothing(string text)
    {
        await using var harness = await FunctionsHarness.StartAsync(azurite, Fleets.Of(Fleets.Vm("a")));

        await Assert.ThrowsAsync<InvalidDataException>(() => harness.Function<RecheckResource>().RunAsync(FunctionsHarness.Message(text), CancellationToken.None));

        Assert.Empty(harness.Emulator.RunCommands);
    }
}
