using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Compliance.Emulator;
using Compliance.Server.Events;
using Microsoft.Extensions.Logging;

namespace Compliance.Server.Tests.Events;

/// <summary>
/// End to end on loopback: the app on its own, the ARM emulator writing the subscription's resource events into the
/// app's resource-change queue on Azurite as Event Grid's Storage Queue destination does (or a test writing what
/// Event Grid or an attacker could), and the app's consumer re-checking, forgetting, ignoring or poisoning.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ResourceChangeQueueTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);
    private static readonly string _web1 = Fleets.VmId("web-1");
    private static readonly string _web2 = Fleets.VmId("web-2");
    private static readonly string _web3 = Fleets.VmId("web-3");

    /// <summary>Every way Event Grid may write an event into the queue: as stored or Base64, in either schema.</summary>
    public static TheoryData<EventMessageEncoding, EventDeliverySchema> Deliveries => new()
    {
        { EventMessageEncoding.Raw, EventDeliverySchema.EventGrid },
        { EventMessageEncoding.Raw, EventDeliverySchema.CloudEvents },
        { EventMessageEncoding.Base64, EventDeliverySchema.EventGrid },
        { EventMessageEncoding.Base64, EventDeliverySchema.CloudEvents },
    };

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task WriteEvent_DeliveredTwice_RechecksOnceAndNotifiesOnce(EventMessageEncoding encoding, EventDeliverySchema schema)
    {
        await using var notifications = await LoopbackReceiver.StartAsync();
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2")),
            settings: notifications.WebhookSettings,
            emulatorOptions: EmulatorWriting(encoding, schema));
        await app.ScanAsync();
        Assert.Equal("Compliant", await StatusAsync(app, _web1));
        Assert.Empty(notifications.About(_web1));
        var checksBefore = app.Emulator.RunCommands.Count;

        // The guest loses its updates (say, restored from an old image) and ARM reports the write.
        app.Emulator.UpdateMachine(_web1, machine => machine with { Guest = JsonSerializer.SerializeToElement(Fleets.Unpatched()) });
        var write = ResourceEvent.Write(_web1);
        await app.Emulator.PublishResourceEventAsync(write);
        await app.EventsHandledAsync(_timeout, "the write event to be handled");

        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        Assert.Equal(_web1, app.Emulator.RunCommands[^1].ResourceId, StringComparer.OrdinalIgnoreCase);
        var stored = await app.Verdicts.GetStateAsync(_web1, default);
        Assert.Equal(nameof(ComplianceStatus.ActionRequired), stored!.State.Verdict.Status);
        Assert.Contains(nameof(RemediationAction.GuestUpdate), stored.State.Verdict.Actions);
        var detail = await app.GetJsonAsync($"api/compliance{_web1}");
        Assert.Equal("ActionRequired", detail.GetProperty("resource").GetProperty("status").GetString());
        var change = detail.GetProperty("history").EnumerateArray().First();
        Assert.Equal("Compliant", change.GetProperty("fromStatus").GetString());
        Assert.Equal("ActionRequired", change.GetProperty("toStatus").GetString());
        Assert.Equal($"event-{write.Id}", change.GetProperty("scanId").GetString());
        var notified = Assert.Single(notifications.About(_web1));
        Assert.Equal("Compliance.GuestUpdateRequired", notified.GetProperty("type").GetString());

        // Event Grid delivers at least once: the same event again is consumed and changes nothing.
        await app.Emulator.PublishResourceEventAsync(write);
        await app.EventsHandledAsync(_timeout, "the same event again to be consumed");

        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        var after = await app.Verdicts.GetStateAsync(_web1, default);
        Assert.Equal(stored.ETag, after!.ETag);
        Assert.Single(notifications.About(_web1));
        Assert.Equal(
            detail.GetProperty("history").GetArrayLength(),
            (await app.GetJsonAsync($"api/compliance{_web1}")).GetProperty("history").GetArrayLength());

        // Our own Run Commands raise runCommand/action events into the same queue; they are consumed and ignored (no loop).
        await SettledAsync(app);
        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        Assert.Equal(0, app.Emulator.EventDeliveryFailures);
        Assert.Empty(await app.EventsQueue.PoisonedAsync());
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public async Task StartDeallocateDelete_Delivered_RechecksIgnoresAndForgets(EventMessageEncoding encoding, EventDeliverySchema schema)
    {
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2", guest: Fleets.Unpatched())),
            emulatorOptions: EmulatorWriting(encoding, schema));

        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Action(_web2, "start"));
        await app.EventsHandledAsync(_timeout, "the start event to be handled");
        Assert.Equal("ActionRequired", await StatusAsync(app, _web2));

        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Action(_web1, "deallocate"));
        await app.EventsHandledAsync(_timeout, "the deallocate event to be consumed");
        using (var missing = await app.Http.GetAsync($"api/compliance{_web1}"))
        {
            await AppUnderTest.AssertProblemAsync(missing, HttpStatusCode.NotFound);
        }

        app.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-1"))));
        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Delete(_web2));
        await app.EventsHandledAsync(_timeout, "the delete event to be handled");
        Assert.Null(await app.Verdicts.GetStateAsync(_web2, default));
        using (var gone = await app.Http.GetAsync($"api/compliance{_web2}"))
        {
            await AppUnderTest.AssertProblemAsync(gone, HttpStatusCode.NotFound);
        }

        await SettledAsync(app);
        Assert.Equal(_web2, Assert.Single(app.Emulator.RunCommands).ResourceId, StringComparer.OrdinalIgnoreCase);
        Assert.Empty(await app.EventsQueue.PoisonedAsync());
    }

    [Theory]
    [InlineData(EventDeliverySchema.EventGrid)]
    [InlineData(EventDeliverySchema.CloudEvents)]
    public async Task MessageOfSeveralEvents_Written_HandlesEachEventOnce(EventDeliverySchema schema)
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1"), Fleets.Vm("web-2"), Fleets.Vm("web-3")));
        await app.ScanAsync();
        await SettledAsync(app);
        var web2Before = (await app.Verdicts.GetStateAsync(_web2, default))!.State.CheckedAt;
        var checksBefore = app.Emulator.RunCommands.Count;

        // web-1 loses its updates and web-3 is deleted; one message then tells of both, and of more.
        app.Emulator.UpdateFleet(_ => FleetDocument.Parse(Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched()), Fleets.Vm("web-2"))));
        var write = Guid.NewGuid().ToString("D");
        var events = new JsonArray(
            Event(schema, write, ResourceEvent.WriteSuccess, _web1, "virtualMachines/write"),
            Event(schema, Guid.NewGuid().ToString("D"), ResourceEvent.ActionSuccess, _web2, "virtualMachines/start/action"),
            Event(schema, Guid.NewGuid().ToString("D"), ResourceEvent.DeleteSuccess, _web3, "virtualMachines/delete"),
            Event(schema, Guid.NewGuid().ToString("D"), ResourceEvent.ActionSuccess, _web2, "virtualMachines/runCommand/action"),
            Event(schema, write, ResourceEvent.WriteSuccess, _web1, "virtualMachines/write"));
        await app.EventsQueue.SendAsync(events.ToJsonString());
        await app.EventsHandledAsync(_timeout, "the message of five events to be handled");

        // web-1 and web-2 checked once each: the write twice in one message is one event, the runCommand one is ignored.
        Assert.Equal(checksBefore + 2, app.Emulator.RunCommands.Count);
        Assert.Equal(
            [_web1.ToUpperInvariant(), _web2.ToUpperInvariant()],
            app.Emulator.RunCommands.Skip(checksBefore).Select(r => r.ResourceId.ToUpperInvariant()).Order(StringComparer.Ordinal));
        var detail = await app.GetJsonAsync($"api/compliance{_web1}");
        Assert.Equal("ActionRequired", detail.GetProperty("resource").GetProperty("status").GetString());
        Assert.Equal($"event-{write}", detail.GetProperty("history").EnumerateArray().First().GetProperty("scanId").GetString());
        Assert.True((await app.Verdicts.GetStateAsync(_web2, default))!.State.CheckedAt > web2Before, "web-2 was not checked again.");
        Assert.Null(await app.Verdicts.GetStateAsync(_web3, default));
        Assert.Empty(await app.EventsQueue.PoisonedAsync());
    }

    [Fact]
    public async Task MalformedMessages_Written_GoToThePoisonQueueAndTheNextMessageIsHandled()
    {
        await using var app = await AppUnderTest.StartAsync(azurite, Fleets.Of(Fleets.Vm("web-1")));
        await app.ScanAsync();
        await SettledAsync(app);
        var before = await StatesAsync(app);
        var checksBefore = app.Emulator.RunCommands.Count;
        string[] malformed =
        [
            // Not JSON, though it starts like it.
            """{"id": "1",""",
            // Neither JSON nor Base64.
            "not json at all",
            // JSON, but not events.
            """{"hello":"world"}""",
            "[1,2,3]",
            $$"""{"id":"{{Guid.NewGuid()}}","eventType":"{{ResourceEvent.WriteSuccess}}"}""",
            // Base64 of garbage: bytes that are not UTF-8, and text that is not JSON.
            Convert.ToBase64String([0xFF, 0xFE, 0x00, 0x80, 0xC3]),
            Convert.ToBase64String(Encoding.UTF8.GetBytes("not json either")),
            // Base64 of JSON that is not events.
            Convert.ToBase64String(Encoding.UTF8.GetBytes("""{"hello":"world"}""")),
        ];

        foreach (var text in malformed)
        {
            await app.EventsQueue.SendAsync(text);
        }

        await Eventually.HoldsAsync(
            async () => (await app.EventsQueue.PoisonedAsync()).Count == malformed.Length,
            _timeout,
            "every malformed message to reach the poison queue");
        await app.EventsHandledAsync(_timeout, "the queue to be empty");

        Assert.Equal(malformed.Order(StringComparer.Ordinal), (await app.EventsQueue.PoisonedAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(before, await StatesAsync(app));
        Assert.Equal(checksBefore, app.Emulator.RunCommands.Count);

        // The consumer is not stuck on them: a good event after them is handled.
        app.Emulator.UpdateMachine(_web1, machine => machine with { Guest = JsonSerializer.SerializeToElement(Fleets.Unpatched()) });
        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Write(_web1));
        await app.EventsHandledAsync(_timeout, "the write event to be handled");

        Assert.Equal("ActionRequired", await StatusAsync(app, _web1));
        Assert.Equal(checksBefore + 1, app.Emulator.RunCommands.Count);
        Assert.Equal(malformed.Length, (await app.EventsQueue.PoisonedAsync()).Count);
    }

    [Fact]
    public async Task WriteEvent_FirstHandlingFails_DeliveredAgainAfterTheRetryDelayAndHandled()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1", guest: Fleets.Unpatched())),
            settings: new Dictionary<string, string?> { ["Compliance:Queue:RetryDelay"] = "00:00:01" },
            logs: logs);

        // ARM answers 500 to everything: reading the machine fails, retries included.
        app.Emulator.SetFaults(new FaultOptions { ErrorRate = 1, UnavailableShare = 0 });
        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Write(_web1));
        await Eventually.HoldsAsync(() => Failures(logs).Count > 0, _timeout, "the first handling to fail");
        Assert.Null(await app.Verdicts.GetStateAsync(_web1, default));
        app.Emulator.SetFaults(null);

        await app.EventsHandledAsync(_timeout, "the event to be delivered again and handled");

        Assert.Equal("ActionRequired", await StatusAsync(app, _web1));
        Assert.Single(app.Emulator.RunCommands);
        var failure = Assert.Single(Failures(logs));
        Assert.Equal("1", failure.State.Single(p => p.Key == "DequeueCount").Value);
        Assert.Empty(await app.EventsQueue.PoisonedAsync());
    }

    [Fact]
    public async Task WriteEvent_HandlingKeepsFailing_PoisonedAfterMaxDequeueCountWithTheStoreUntouched()
    {
        var logs = new CapturingLoggerProvider();
        await using var app = await AppUnderTest.StartAsync(
            azurite,
            Fleets.Of(Fleets.Vm("web-1")),
            settings: new Dictionary<string, string?>
            {
                ["Compliance:Queue:RetryDelay"] = "00:00:00.100",
                ["Compliance:Queue:MaxDequeueCount"] = "2",
            },
            logs: logs);
        app.Emulator.SetFaults(new FaultOptions { ErrorRate = 1, UnavailableShare = 0 });

        // The event itself only schedules the re-check; the re-check is what needs ARM, and what keeps failing.
        await app.Emulator.PublishResourceEventAsync(ResourceEvent.Write(_web1));
        await Eventually.HoldsAsync(async () => (await app.RechecksQueue.PoisonedAsync()).Count > 0, _timeout, "the re-check to reach the poison queue");
        await app.EventsHandledAsync(_timeout, "the queue to be empty");

        Assert.Contains(_web1, Assert.Single(await app.RechecksQueue.PoisonedAsync()), StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await app.EventsQueue.PoisonedAsync());
        Assert.Single(Failures(logs));
        var gaveUp = Assert.Single(logs.Entries, e => e.Category == typeof(ResourceRecheckQueueService).FullName && e.EventId.Id == 5002);
        Assert.Equal("2", gaveUp.State.Single(p => p.Key == "DequeueCount").Value);
        Assert.Null(await app.Verdicts.GetStateAsync(_web1, default));
        Assert.Empty(app.Emulator.RunCommands);
    }

    private ArmEmulatorOptions EmulatorWriting(EventMessageEncoding encoding, EventDeliverySchema schema) => new()
    {
        EventQueue = new EventQueueOptions
        {
            ConnectionString = azurite.ConnectionString,
            QueueName = "events-" + Guid.NewGuid().ToString("N")[..12],
            Encoding = encoding,
            Schema = schema,
        },
    };

    // The consumer's "will be delivered again" entries: a handling that failed, not a receive that did.
    private static List<CapturedLog> Failures(CapturingLoggerProvider logs) =>
        [.. logs.Entries.Where(e => (e.Category == typeof(ResourceChangeQueueService).FullName || e.Category == typeof(ResourceRecheckQueueService).FullName)
            && e.EventId.Id == 5000
            && e.Level == LogLevel.Error
            && e.State.Any(p => p.Key == "MessageId" && p.Value != "(receive)"))];

    // The emulator writes the event of each of our own Run Commands in the background; once each is written and the
    // queue is empty, nothing is left in flight that could still start a check.
    private static async Task SettledAsync(AppUnderTest app)
    {
        await Eventually.HoldsAsync(
            () => app.Emulator.Deliveries.Count(IsRunCommandEvent) >= app.Emulator.RunCommands.Count,
            _timeout,
            "the events of our own Run Commands to be written");
        await app.EventsHandledAsync(_timeout, "the events of our own Run Commands to be consumed");
    }

    private static bool IsRunCommandEvent(EventDelivery delivery)
    {
        using var json = JsonDocument.Parse(delivery.Json);
        return json.RootElement.GetProperty("data").GetProperty("operationName").GetString()!.EndsWith("/runCommand/action", StringComparison.Ordinal);
    }

    private static async Task<string?> StatusAsync(AppUnderTest app, string resourceId) =>
        (await app.GetJsonAsync($"api/compliance{resourceId}")).GetProperty("resource").GetProperty("status").GetString();

    // Every stored state with its ETag: any write to the store changes it.
    private static async Task<List<string>> StatesAsync(AppUnderTest app)
    {
        var states = new List<string>();
        await foreach (var state in app.Verdicts.QueryStatesAsync(StateQuery.All, default))
        {
            states.Add($"{state.State.Verdict.Id} {state.ETag}");
        }

        return [.. states.Order(StringComparer.Ordinal)];
    }

    // An ARM event as Event Grid writes it to a queue, in either schema, with what the app reads of it.
    private static JsonObject Event(EventDeliverySchema schema, string id, string eventType, string resourceId, string operation)
    {
        var data = new JsonObject
        {
            ["resourceUri"] = resourceId,
            ["operationName"] = $"Microsoft.Compute/{operation}",
            ["status"] = "Succeeded",
            ["subscriptionId"] = Fleets.Subscription,
        };
        return schema == EventDeliverySchema.CloudEvents
            ? new JsonObject
            {
                ["specversion"] = "1.0",
                ["type"] = eventType,
                ["source"] = $"/subscriptions/{Fleets.Subscription}",
                ["id"] = id,
                ["time"] = "2026-11-21T10:00:00.0000000Z",
                ["subject"] = resourceId,
                ["data"] = data,
            }
            : new JsonObject
            {
                ["subject"] = resourceId,
                ["eventType"] = eventType,
                ["eventTime"] = "2026-11-21T10:00:00.0000000Z",
                ["id"] = id,
                ["data"] = data,
                ["dataVersion"] = "2",
                ["metadataVersion"] = "1",
                ["topic"] = $"/subscriptions/{Fleets.Subscription}",
            };
    }
}
