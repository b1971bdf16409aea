using System.Net;
using System.Text;
using System.Text.Json;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace Compliance.Functions.Tests.Events;

/// <summary>
/// End to end on loopback: the app on its own, the ARM emulator delivering subscription events to <c>/api/events</c>
/// through the Event Grid webhook protocol, Azurite as the store, and a webhook receiving notifications.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventGridWebhookTests(AzuriteFixture azurite)
{
    private static readonly string _web1 = Fleets.VmId("web-1");
    private static readonly string _web2 = Fleets.VmId("web-2");

    [Fact]
    public async Task Post_WriteEventThenDuplicate_RechecksOnceAndNotifiesOnce()
    {
        await using var notifications = await LoopbackReceiver.StartAsync();
        // The app's port is chosen first so the emulator can also publish the runCommand events our checks cause.
        var port = LoopbackPort.Free();
        var events = new Uri($"http://127.0.0.1:{port}/api/events");
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2")),
            settings: notifications.WebhookSettings,
            urls: $"http://127.0.0.1:{port}",
            emulatorOptions: new ArmEmulatorOptions { EventWebhook = events });

        var validation = await app.Emulator.ValidateWebhookAsync(events);
        Assert.True(validation.Accepted, validation.Body);

        await app.ScanAsync();
        Assert.Equal("Compliant", (await app.GetJsonAsync($"api/compliance{_web1}")).GetProperty("resource").GetProperty("status").GetString());
        Assert.Empty(notifications.About(_web1));
        var checksBefore = app.Emulator.RunCommands.Count;

        // The guest loses its updates (say, restored from an old image) and ARM reports the write.
        app.Emulator.UpdateMachine(_web1, machine => machine with { Guest = JsonSerializer.SerializeToElement(Fleets.Unpatched()) });
        var write = ResourceEvent.Write(_web1);
        var delivery = await app.Emulator.PublishResourceEventAsync(events, write);

        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        var stored = await app.Services.GetRequiredService<IVerdictStore>().GetStateAsync(_web1, default);
        Assert.Equal(ComplianceStatus.ActionRequired.ToString(), stored!.State.Verdict.Status);
        Assert.Contains(nameof(RemediationAction.GuestUpdate), stored.State.Verdict.Actions);
        var detail = await app.GetJsonAsync($"api/compliance{_web1}");
        Assert.Equal("ActionRequired", detail.GetProperty("resource").GetProperty("status").GetString());
        var change = detail.GetProperty("history").EnumerateArray().First();
        Assert.Equal("Compliant", change.GetProperty("fromStatus").GetString());
        Assert.Equal("ActionRequired", change.GetProperty("toStatus").GetString());
        Assert.Equal($"event-{write.Id}", change.GetProperty("scanId").GetString());
        var notified = Assert.Single(notifications.About(_web1));
        Assert.Equal("Compliance.GuestUpdateRequired", notified.GetProperty("type").GetString());

        // Event Grid delivers at least once: the same event again is acknowledged and changes nothing.
        var again = await app.Emulator.PublishResourceEventAsync(events, write);

        Assert.Equal(200, again.StatusCode);
        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        var after = await app.Services.GetRequiredService<IVerdictStore>().GetStateAsync(_web1, default);
        Assert.Equal(stored.State.CheckedAt, after!.State.CheckedAt);
        Assert.Single(notifications.About(_web1));
        Assert.Equal(
            detail.GetProperty("history").GetArrayLength(),
            (await app.GetJsonAsync($"api/compliance{_web1}")).GetProperty("history").GetArrayLength());

        // Our own Run Commands raise runCommand/action events; they reach the app and are ignored (no loop).
        await Eventually.HoldsAsync(() => app.Emulator.Deliveries.Count(d => d.EventType == ResourceEvent.ActionSuccess) >= checksBefore + 1, TimeSpan.FromSeconds(20), "the events of our own Run Commands");
        Assert.All(app.Emulator.Deliveries, d => Assert.Equal(200, d.StatusCode));
        Assert.Equal(0, app.Emulator.EventDeliveryFailures);
        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
    }

    [Fact]
    public async Task Post_StartDeallocateDelete_RechecksIgnoresAndForgets()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2", guest: Fleets.Unpatched())));
        var events = new Uri(app.BaseAddress, "api/events");

        var start = await app.Emulator.PublishResourceEventAsync(events, ResourceEvent.Action(_web2, "start"));
        Assert.Equal(200, start.StatusCode);
        Assert.Equal("ActionRequired", (await app.GetJsonAsync($"api/compliance{_web2}")).GetProperty("resource").GetProperty("status").GetString());

        var deallocate = await app.Emulator.PublishResourceEventAsync(events, ResourceEvent.Action(_web1, "deallocate"));
        Assert.Equal(200, deallocate.StatusCode);
        using (var missing = await app.Http.GetAsync($"api/compliance{_web1}"))
        {
            await AppUnderTest.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }

        app.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-1"))));
        var delete = await app.Emulator.PublishResourceEventAsync(events, ResourceEvent.Delete(_web2));
        Assert.Equal(200, delete.StatusCode);
        using (var gone = await app.Http.GetAsync($"api/compliance{_web2}"))
        {
            await AppUnderTest.AssertProblemAsync(gone, HttpStatusCode.NotFound);
        }

        Assert.Single(app.Emulator.RunCommands);
    }

    [Fact]
    public async Task Handshakes_ValidationAndOptions_AnsweredAndNonEventsRefused()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));

        using var options = new HttpRequestMessage(HttpMethod.Options, "api/events");
        options.Headers.Add("WebHook-Request-Origin", "eventgrid.azure.net");
        using var handshake = await app.Http.SendAsync(options);
        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        Assert.Equal("eventgrid.azure.net", handshake.Headers.GetValues("WebHook-Allowed-Origin").Single());

        using var noOrigin = await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "api/events"));
        await AppUnderTest.AssertProblemAsync(noOrigin, HttpStatusCode.BadRequest);

        using var validate = new HttpRequestMessage(HttpMethod.Post, "api/events")
        {
            Content = new StringContent(
                """[{"id":"2d1781af-3a4c-4d7c-bd0c-e34b19da4e66","topic":"/subscriptions/x","subject":"","data":{"validationCode":"512d38b6-c7b8-40c8-89fe-f46f9e9622b6","validationUrl":"https://rp-eastus2.eventgrid.azure.net:553/eventsubscriptions/estest/validate?id=512d38b6"},"eventType":"Microsoft.EventGrid.SubscriptionValidationEvent","eventTime":"2018-01-25T22:12:19.4556811Z","metadataVersion":"1","dataVersion":"1"}]""",
                Encoding.UTF8,
                "application/json"),
        };
        validate.Headers.Add("aeg-event-type", "SubscriptionValidation");
        using var validated = await app.Http.SendAsync(validate);
        Assert.Equal(HttpStatusCode.OK, validated.StatusCode);
        Assert.Equal("512d38b6-c7b8-40c8-89fe-f46f9e9622b6", (await AppUnderTest.ReadJsonAsync(validated)).GetProperty("validationResponse").GetString());

        foreach (var body in new[] { "not json", "42", """[{"eventType":"Microsoft.Resources.ResourceWriteSuccess"}]""", """[{"id":"1","subject":"/subscriptions/x"}]""" })
        {
            using var refused = await app.Http.PostAsync("api/events", new StringContent(body, Encoding.UTF8, "application/json"));
            await AppUnderTest.AssertProblemAsync(refused, HttpStatusCode.BadRequest);
        }

        Assert.Empty(app.Emulator.RunCommands);
    }

    [Fact]
    public async Task Post_CheckFails_500SoEventGridRetries()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));
        var events = new Uri(app.BaseAddress, "api/events");
        var body = $$"""[{"id":"{{Guid.NewGuid()}}","topic":"/subscriptions/{{Fleets.Subscription}}","subject":"{{_web1}}","eventType":"Microsoft.Resources.ResourceWriteSuccess","eventTime":"2026-11-21T10:00:00Z","data":{"operationName":"Microsoft.Compute/virtualMachines/write","resourceUri":"{{_web1}}"},"dataVersion":"2","metadataVersion":"1"}]""";
        await app.Emulator.DisposeAsync();

        using var failed = await app.Http.PostAsync(events, new StringContent(body, Encoding.UTF8, "application/json"));

        await AppUnderTest.AssertProblemAsync(failed, HttpStatusCode.InternalServerError);
        Assert.Null(await app.Services.GetRequiredService<IVerdictStore>().GetStateAsync(_web1, default));
    }
}
