using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Compliance.Emulator.Arm;
using Compliance.Emulator.Azurite;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

/// <summary>The emulator's resource events, written to real Azurite queues and read back through <see cref="QueueClient"/>.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class EventPublisherTests(AzuriteFixture azurite)
{
    private const string Group = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups";
    private const string VmId = $"{Group}/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok";
    private const string InstanceId = $"{Group}/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0";
    private const string CloudServiceId = $"{Group}/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api";
    private const string ScaleSetId = $"{Group}/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss";

    private static readonly DateTimeOffset _now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);

    [Fact]
    public async Task PublishResourceEventAsync_WriteOnVmInEventGridSchema_WritesOneMessageWithEveryField()
    {
        var queue = NewQueue();
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now), EventQueue = queue });
        var resourceEvent = ResourceEvent.Write(VmId);

        var delivery = await emulator.PublishResourceEventAsync(resourceEvent);

        var stored = Assert.Single(await StoredAsync(queue));
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(stored.Body.ToString()));
        var sent = Parse(json);
        Assert.Equal(["subject", "eventType", "eventTime", "id", "data", "dataVersion", "metadataVersion", "topic"], Names(sent));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourcegroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok", Text(sent, "subject"));
        Assert.Equal("Microsoft.Resources.ResourceWriteSuccess", Text(sent, "eventType"));
        Assert.Equal("2030-01-02T03:04:05.1234567Z", Text(sent, "eventTime"));
        Assert.Equal(resourceEvent.Id, Text(sent, "id"));
        Assert.Equal("2", Text(sent, "dataVersion"));
        Assert.Equal("1", Text(sent, "metadataVersion"));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}", Text(sent, "topic"));

        var data = sent.GetProperty("data");
        Assert.Equal(["authorization", "claims", "correlationId", "resourceProvider", "resourceUri", "operationName", "status", "subscriptionId", "tenantId"], Names(data));
        var authorization = data.GetProperty("authorization");
        Assert.Equal(["scope", "action", "evidence"], Names(authorization));
        Assert.Equal(VmId, Text(authorization, "scope"));
        Assert.Equal("Microsoft.Compute/virtualMachines/write", Text(authorization, "action"));
        AssertCaller(data, EventCaller.Operator, _now);
        Assert.True(Guid.TryParseExact(Text(data, "correlationId"), "D", out _));
        Assert.Equal("Microsoft.Compute", Text(data, "resourceProvider"));
        Assert.Equal(VmId, Text(data, "resourceUri"));
        Assert.Equal("Microsoft.Compute/virtualMachines/write", Text(data, "operationName"));
        Assert.Equal("Succeeded", Text(data, "status"));
        Assert.Equal(TestFleets.SubscriptionId, Text(data, "subscriptionId"));
        Assert.Equal(ArmJson.TenantId, Text(data, "tenantId"));

        Assert.Equal(new EventDelivery(queue.QueueName, stored.MessageId, resourceEvent.Id, "Microsoft.Resources.ResourceWriteSuccess", stored.Body.ToString(), json), delivery);
        Assert.Equal([delivery], emulator.Deliveries);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task PublishResourceEventAsync_WriteOnVmInCloudEventsSchema_WritesOneCloudEventWithTheSameData()
    {
        var cloudQueue = NewQueue(EventMessageEncoding.Raw, EventDeliverySchema.CloudEvents);
        var gridQueue = NewQueue(EventMessageEncoding.Raw, EventDeliverySchema.EventGrid);
        await using var cloud = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now), EventQueue = cloudQueue });
        await using var grid = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = gridQueue });
        var resourceEvent = ResourceEvent.Write(VmId);

        var delivery = await cloud.PublishResourceEventAsync(resourceEvent);
        await grid.PublishResourceEventAsync(resourceEvent with { EventTime = _now });

        var stored = Assert.Single(await StoredAsync(cloudQueue));
        var sent = Parse(stored.Body.ToString());
        Assert.Equal(["specversion", "type", "source", "id", "time", "subject", "data"], Names(sent));
        Assert.Equal("1.0", Text(sent, "specversion"));
        Assert.Equal("Microsoft.Resources.ResourceWriteSuccess", Text(sent, "type"));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}", Text(sent, "source"));
        Assert.Equal(resourceEvent.Id, Text(sent, "id"));
        Assert.Equal("2030-01-02T03:04:05.1234567Z", Text(sent, "time"));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}/resourcegroups/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok", Text(sent, "subject"));

        var gridEvent = Parse(Assert.Single(await StoredAsync(gridQueue)).Body.ToString());
        Assert.Equal(gridEvent.GetProperty("data").GetRawText(), sent.GetProperty("data").GetRawText());
        Assert.Equal(Text(gridEvent, "subject"), Text(sent, "subject"));
        Assert.Equal(Text(gridEvent, "topic"), Text(sent, "source"));
        Assert.Equal(Text(gridEvent, "eventTime"), Text(sent, "time"));
        Assert.Equal(new EventDelivery(cloudQueue.QueueName, stored.MessageId, resourceEvent.Id, "Microsoft.Resources.ResourceWriteSuccess", stored.Body.ToString(), stored.Body.ToString()), delivery);
    }

    [Theory]
    [InlineData(InstanceId, "write", null, "", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/write")]
    [InlineData(CloudServiceId, "write", null, "", "Microsoft.Compute/cloudServices/write")]
    [InlineData(VmId, "start", "POST", "/start", "Microsoft.Compute/virtualMachines/start/action")]
    [InlineData(VmId, "runCommand", "POST", "/runCommand", "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData(InstanceId, "restart", "POST", "/restart", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/restart/action")]
    [InlineData(CloudServiceId, "restart", "POST", "/restart", "Microsoft.Compute/cloudServices/restart/action")]
    [InlineData(VmId, "delete", "DELETE", "", "Microsoft.Compute/virtualMachines/delete")]
    [InlineData(InstanceId, "delete", "DELETE", "", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/delete")]
    [InlineData(CloudServiceId, "delete", "DELETE", "", "Microsoft.Compute/cloudServices/delete")]
    [InlineData(ScaleSetId, "write", null, "", "Microsoft.Compute/virtualMachineScaleSets/write")]
    [InlineData(ScaleSetId, "MANUALUPGRADE", "POST", "/manualUpgrade", "Microsoft.Compute/virtualMachineScaleSets/manualUpgrade/action")]
    [InlineData(ScaleSetId, "osrollingupgrade", "POST", "/osRollingUpgrade", "Microsoft.Compute/virtualMachineScaleSets/osRollingUpgrade/action")]
    [InlineData(ScaleSetId, "delete-action", "POST", "/delete", "Microsoft.Compute/virtualMachineScaleSets/delete/action")]
    [InlineData(VmId, "installpatches", "POST", "/installPatches", "Microsoft.Compute/virtualMachines/installPatches/action")]
    [InlineData(InstanceId, "reimageall", "POST", "/reimageAll", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/reimageAll/action")]
    [InlineData(CloudServiceId, "powerOff", "POST", "/poweroff", "Microsoft.Compute/cloudServices/poweroff/action")]
    [InlineData(VmId, "extensions", null, "", "Microsoft.Compute/virtualMachines/extensions/write")]
    [InlineData(ScaleSetId, "extensions", null, "", "Microsoft.Compute/virtualMachineScaleSets/extensions/write")]
    public async Task PublishResourceEventAsync_EachKindAndResource_WritesOperationAndHttpRequestOfActionsAndDeletes(
        string resourceId, string verb, string? method, string urlSuffix, string operationName)
    {
        var queue = NewQueue(EventMessageEncoding.Raw);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var resourceEvent = verb switch
        {
            "write" => ResourceEvent.Write(resourceId),
            "delete" => ResourceEvent.Delete(resourceId),
            "delete-action" => ResourceEvent.Action(resourceId, "delete"),
            "extensions" => ResourceEvent.WriteChild(resourceId, "Extensions", "MDE.Windows"),
            _ => ResourceEvent.Action(resourceId, verb),
        };

        // A child's event names the child, as ARM's do.
        resourceId = resourceEvent.ResourceId;

        var delivery = await emulator.PublishResourceEventAsync(resourceEvent);

        var sent = Parse(Assert.Single(await StoredAsync(queue)).Body.ToString());
        var data = sent.GetProperty("data");
        Assert.Equal(resourceEvent.EventType, delivery.EventType);
        Assert.Equal(resourceEvent.EventType, Text(sent, "eventType"));
        Assert.Equal(resourceId.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.Ordinal), Text(sent, "subject"));
        Assert.Equal(resourceId, Text(data, "resourceUri"));
        Assert.Equal(resourceId, Text(data.GetProperty("authorization"), "scope"));
        Assert.Equal(operationName, Text(data, "operationName"));
        Assert.Equal(operationName, Text(data.GetProperty("authorization"), "action"));
        Assert.Equal("Microsoft.Compute", Text(data, "resourceProvider"));
        Assert.Equal("Succeeded", Text(data, "status"));
        if (method is null)
        {
            Assert.False(data.TryGetProperty("httpRequest", out _));
            return;
        }

        Assert.Equal(["authorization", "claims", "correlationId", "httpRequest", "resourceProvider", "resourceUri", "operationName", "status", "subscriptionId", "tenantId"], Names(data));
        var httpRequest = data.GetProperty("httpRequest");
        Assert.Equal(["clientRequestId", "clientIpAddress", "method", "url"], Names(httpRequest));
        Assert.True(Guid.TryParseExact(Text(httpRequest, "clientRequestId"), "D", out _));
        Assert.Equal("127.0.0.1", Text(httpRequest, "clientIpAddress"));
        Assert.Equal(method, Text(httpRequest, "method"));
        Assert.Equal($"https://management.azure.com{resourceId}{urlSuffix}?api-version=2023-07-01", Text(httpRequest, "url"));
    }

    [Fact]
    public async Task PublishResourceEventAsync_RawAndBase64_StoreTheSameJsonObject()
    {
        var rawQueue = NewQueue(EventMessageEncoding.Raw);
        var base64Queue = NewQueue(EventMessageEncoding.Base64);
        await using var raw = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = rawQueue });
        await using var base64 = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = base64Queue });
        var resourceEvent = ResourceEvent.Action(InstanceId, "restart") with { EventTime = _now };

        var rawDelivery = await raw.PublishResourceEventAsync(resourceEvent);
        var base64Delivery = await base64.PublishResourceEventAsync(resourceEvent);

        var rawText = Assert.Single(await StoredAsync(rawQueue)).Body.ToString();
        var base64Text = Assert.Single(await StoredAsync(base64Queue)).Body.ToString();
        Assert.StartsWith("{\"subject\":", rawText, StringComparison.Ordinal);
        Assert.Equal(rawText, Encoding.UTF8.GetString(Convert.FromBase64String(base64Text)));
        Assert.Equal(rawText, rawDelivery.MessageText);
        Assert.Equal(rawText, rawDelivery.Json);
        Assert.Equal(base64Text, base64Delivery.MessageText);
        Assert.Equal(rawText, base64Delivery.Json);

        // What a queue trigger configured for Base64 (the Functions host's default) reads.
        var decoding = new QueueClient(azurite.ConnectionString, base64Queue.QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        Assert.Equal(rawText, Assert.Single((await decoding.PeekMessagesAsync(32)).Value).Body.ToString());
    }

    [Fact]
    public async Task PublishResourceEventAsync_SameEventTwice_WritesTwoMessagesWithTheSameIdAndBody()
    {
        var queue = NewQueue();
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var resourceEvent = ResourceEvent.Action(VmId, "start") with { EventTime = _now };

        var first = await emulator.PublishResourceEventAsync(resourceEvent);
        var second = await emulator.PublishResourceEventAsync(resourceEvent);

        var stored = await StoredAsync(queue);
        Assert.Equal(2, stored.Length);
        Assert.Equal(stored[0].Body.ToString(), stored[1].Body.ToString());
        Assert.NotEqual(stored[0].MessageId, stored[1].MessageId);
        var sent = Parse(first.Json);
        Assert.Equal(resourceEvent.Id, Text(sent, "id"));
        Assert.Equal("2030-01-02T03:04:05.1234567Z", Text(sent, "eventTime"));
        Assert.Equal(first with { MessageId = second.MessageId }, second);
        Assert.Equal([first, second], emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_ExplicitIdAndOtherEventType_WritesThemAsGiven()
    {
        var queue = NewQueue(schema: EventDeliverySchema.CloudEvents);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var resourceEvent = ResourceEvent.Write(VmId) with { Id = "4db48cba-50a2-455a-93b4-de41a3b5b7f6", EventType = "Microsoft.Resources.ResourceWriteFailure" };

        var delivery = await emulator.PublishResourceEventAsync(resourceEvent);

        var sent = Parse(delivery.Json);
        Assert.Equal("4db48cba-50a2-455a-93b4-de41a3b5b7f6", Text(sent, "id"));
        Assert.Equal("Microsoft.Resources.ResourceWriteFailure", Text(sent, "type"));
        Assert.Equal("Failed", Text(sent.GetProperty("data"), "status"));
        Assert.Equal("4db48cba-50a2-455a-93b4-de41a3b5b7f6", delivery.EventId);
    }

    [Fact]
    public async Task PublishResourceEventAsync_QueueAlreadyHoldsMessages_AddsToThem()
    {
        var queue = NewQueue(EventMessageEncoding.Raw);
        var client = new QueueClient(azurite.ConnectionString, queue.QueueName);
        await client.CreateAsync();
        await client.SendMessageAsync("earlier");
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });

        var delivery = await emulator.PublishResourceEventAsync(ResourceEvent.Delete(CloudServiceId));

        var stored = await StoredAsync(queue);
        Assert.Equal(["earlier", delivery.MessageText], stored.Select(m => m.Body.ToString()));
    }

    [Theory]
    [InlineData("rg-rds", "win-ok", null, "Microsoft.Compute/virtualMachines/runCommand/action", EventDeliverySchema.EventGrid)]
    [InlineData("rg-web", "web-vmss", "0", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action", EventDeliverySchema.CloudEvents)]
    public async Task EventQueue_RunCommandAccepted_ReceivesRunCommandActionEventWithTheCallersClaims(
        string resourceGroup, string name, string? instanceId, string operationName, EventDeliverySchema schema)
    {
        var queue = NewQueue(schema: schema);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var client = ArmClientFactory.Create(emulator, maxRetries: 0);

        if (instanceId is null)
        {
            await client.GetVirtualMachineResource(VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, resourceGroup, name))
                .RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        }
        else
        {
            await client.GetVirtualMachineScaleSetVmResource(VirtualMachineScaleSetVmResource.CreateResourceIdentifier(TestFleets.SubscriptionId, resourceGroup, name, instanceId))
                .RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunShellScript"));
        }

        await emulator.WhenEventsDeliveredAsync();
        var resourceId = Assert.Single(emulator.RunCommands).ResourceId;

        var stored = Assert.Single(await StoredAsync(queue));
        var sent = Parse(Encoding.UTF8.GetString(Convert.FromBase64String(stored.Body.ToString())));
        var data = sent.GetProperty("data");
        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", Text(sent, schema == EventDeliverySchema.CloudEvents ? "type" : "eventType"));
        Assert.Equal(resourceId.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.Ordinal), Text(sent, "subject"));
        Assert.Equal(resourceId, Text(data, "resourceUri"));
        Assert.Equal(operationName, Text(data, "operationName"));
        Assert.Equal("POST", Text(data.GetProperty("httpRequest"), "method"));
        Assert.Equal($"https://management.azure.com{resourceId}/runCommand?api-version=2023-07-01", Text(data.GetProperty("httpRequest"), "url"));

        // The app's own check: the caller is the identity of the emulator's token, as a service principal.
        AssertCaller(data, emulator.Caller, DateTimeOffset.Parse(Text(sent, schema == EventDeliverySchema.CloudEvents ? "time" : "eventTime"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(emulator.CallerPrincipalId, Text(data.GetProperty("claims"), EventCaller.ObjectIdClaim));
        Assert.Equal(
            ["aud", "iss", "iat", "nbf", "exp", "appid", "appidacr", "http://schemas.microsoft.com/identity/claims/identityprovider", EventCaller.ObjectIdClaim,
             "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier", "http://schemas.microsoft.com/identity/claims/tenantid", "uti", "ver"],
            Names(data.GetProperty("claims")));
        Assert.Equal("ServicePrincipal", Text(data.GetProperty("authorization").GetProperty("evidence"), "principalType"));
        var delivery = Assert.Single(emulator.Deliveries);
        Assert.Equal(new EventDelivery(queue.QueueName, stored.MessageId, Text(sent, "id"), "Microsoft.Resources.ResourceActionSuccess", stored.Body.ToString(), delivery.Json), delivery);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task EventQueue_InstallPatchesAccepted_ReceivesInstallPatchesActionEventWithTheAppAsCaller()
    {
        var queue = NewQueue(EventMessageEncoding.Raw);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var client = ArmClientFactory.Create(emulator, maxRetries: 0);
        var content = new VirtualMachineInstallPatchesContent(VmGuestPatchRebootSetting.IfRequired) { MaximumDuration = TimeSpan.FromHours(1), WindowsParameters = new WindowsParameters() };
        content.WindowsParameters.ClassificationsToInclude.Add(VmGuestPatchClassificationForWindows.Security);

        await client.GetVirtualMachineResource(VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-rds", "win-ok"))
            .InstallPatchesAsync(WaitUntil.Completed, content);
        await emulator.WhenEventsDeliveredAsync();

        var resourceId = Assert.Single(emulator.InstallPatches).ResourceId;
        var sent = Parse(Assert.Single(await StoredAsync(queue)).Body.ToString());
        var data = sent.GetProperty("data");
        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", Text(sent, "eventType"));
        Assert.Equal(resourceId, Text(data, "resourceUri"));
        Assert.Equal("Microsoft.Compute/virtualMachines/installPatches/action", Text(data, "operationName"));
        Assert.Equal(emulator.CallerPrincipalId, Text(data.GetProperty("claims"), EventCaller.ObjectIdClaim));
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Theory]
    [InlineData(EventDeliverySchema.EventGrid)]
    [InlineData(EventDeliverySchema.CloudEvents)]
    public async Task PublishResourceEventAsync_RunCommandByAnotherPerson_NamesThatPersonNotTheEmulatorsIdentity(EventDeliverySchema schema)
    {
        var queue = NewQueue(EventMessageEncoding.Raw, schema);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now), EventQueue = queue });
        var someoneElse = EventCaller.Person("1f2e3d4c-5b6a-4789-8a9b-0c1d2e3f4a5b");

        await emulator.PublishResourceEventAsync(ResourceEvent.Action(VmId, "runCommand") with { Caller = someoneElse });
        await emulator.PublishResourceEventAsync(ResourceEvent.Action(VmId, "runCommand"));

        var stored = await StoredAsync(queue);
        Assert.Equal(2, stored.Length);
        var byHand = Parse(stored[0].Body.ToString()).GetProperty("data");
        var byDefault = Parse(stored[1].Body.ToString()).GetProperty("data");
        AssertCaller(byHand, someoneElse, _now);
        AssertCaller(byDefault, EventCaller.Operator, _now);
        Assert.Equal("User", Text(byHand.GetProperty("authorization").GetProperty("evidence"), "principalType"));
        Assert.NotEqual(emulator.CallerPrincipalId, EventCaller.Operator.ObjectId);
        Assert.NotEqual(emulator.CallerPrincipalId, Text(byDefault.GetProperty("claims"), EventCaller.ObjectIdClaim));
    }

    [Fact]
    public async Task PublishResourceEventAsync_SameEventTwice_WritesTheSameCaller()
    {
        var queue = NewQueue(EventMessageEncoding.Raw);
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now), EventQueue = queue });
        var resourceEvent = ResourceEvent.Action(VmId, "reimage");

        await emulator.PublishResourceEventAsync(resourceEvent);
        await emulator.PublishResourceEventAsync(resourceEvent);

        var stored = await StoredAsync(queue);
        Assert.Equal(stored[0].Body.ToString(), stored[1].Body.ToString());
    }

    [Fact]
    public async Task PublishResourceEventAsync_CallerObjectIdNotAGuid_ThrowsArgumentException()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = NewQueue() });

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            emulator.PublishResourceEventAsync(ResourceEvent.Write(VmId) with { Caller = new EventCaller("operator", EventCaller.User, "04b07795-8ddb-461a-bbee-02f9e1bf7b46") }));

        Assert.Equal("resourceEvent", error.ParamName);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task EventQueue_RunCommandRefused_WritesNothing()
    {
        var queue = NewQueue();
        await new QueueClient(azurite.ConnectionString, queue.QueueName).CreateAsync();
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-app", "win-stopped"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));
        await emulator.WhenEventsDeliveredAsync();

        Assert.Equal(409, error.Status);
        Assert.Empty(await StoredAsync(queue));
        Assert.Empty(emulator.Deliveries);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task EventQueue_StorageUnreachable_RunCommandSucceedsAndOneFailureIsCounted()
    {
        var queue = new EventQueueOptions { ConnectionString = ClosedPortConnectionString(), QueueName = NewQueue().QueueName };
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-rds", "win-ok"));

        var operation = await vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        await emulator.WhenEventsDeliveredAsync();

        Assert.True(operation.HasCompleted);
        Assert.Equal(1, emulator.EventDeliveryFailures);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_StorageUnreachable_ThrowsAfterTheRetriesAndRecordsNothing()
    {
        var queue = new EventQueueOptions { ConnectionString = ClosedPortConnectionString(), QueueName = NewQueue().QueueName };
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });

        var error = await Assert.ThrowsAsync<AggregateException>(() => emulator.PublishResourceEventAsync(ResourceEvent.Write(VmId)));

        Assert.Equal(3, error.InnerExceptions.Count);
        Assert.All(error.InnerExceptions, inner => Assert.IsType<RequestFailedException>(inner));
        Assert.Empty(emulator.Deliveries);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task PublishResourceEventAsync_NoQueueConfigured_ThrowsInvalidOperationException()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => emulator.PublishResourceEventAsync(ResourceEvent.Write(VmId)));

        Assert.Equal("The emulator has no event queue: set ArmEmulatorOptions.EventQueue to publish resource events.", error.Message);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task EventQueue_NotConfigured_RunCommandPublishesNothingAndCountsNoFailure()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-rds", "win-ok"));

        await vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        await emulator.WhenEventsDeliveredAsync();

        Assert.Empty(emulator.Deliveries);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task PublishResourceEventAsync_AfterDispose_ThrowsObjectDisposedExceptionAndWritesNothing()
    {
        var queue = NewQueue();
        var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });
        await emulator.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => emulator.PublishResourceEventAsync(ResourceEvent.Write(VmId)));

        Assert.False((await new QueueClient(azurite.ConnectionString, queue.QueueName).ExistsAsync()).Value);
        Assert.Empty(emulator.Deliveries);
    }

    [Theory]
    [InlineData("connection", "")]
    [InlineData("connection", " ")]
    [InlineData("connection", "AccountKey=not-for-the-message")]
    [InlineData("connection", "not-for-the-message")]
    [InlineData("connection", "Foo=not-for-the-message")]
    [InlineData("connection", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=not-for-the-message")]
    [InlineData("queue", "ab")]
    [InlineData("queue", "Resource-Changes")]
    [InlineData("queue", "resource--changes")]
    [InlineData("queue", "-resource-changes")]
    [InlineData("queue", "resource-changes-")]
    [InlineData("queue", "resource_changes")]
    [InlineData("queue", "a123456789012345678901234567890123456789012345678901234567890123")]
    [InlineData("encoding", "7")]
    [InlineData("schema", "7")]
    public async Task StartAsync_EventQueueSettingMissingOrMalformed_ThrowsArgumentExceptionWithoutTheConnectionString(string setting, string value)
    {
        var queue = NewQueue();
        switch (setting)
        {
            case "connection":
                queue.ConnectionString = value;
                break;
            case "queue":
                queue.QueueName = value;
                break;
            case "encoding":
                queue.Encoding = (EventMessageEncoding)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                queue.Schema = (EventDeliverySchema)int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
        }

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue }));

        Assert.Equal("options", error.ParamName);
        Assert.StartsWith("EventQueue.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-for-the-message", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteProcess.AccountKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_LongestAndShortestQueueNames_Start()
    {
        var longest = "a" + Guid.NewGuid().ToString("N") + new string('b', 30);
        var shortest = "a-" + Guid.NewGuid().ToString("N")[..1];

        foreach (var name in new[] { longest, shortest })
        {
            var queue = NewQueue();
            queue.QueueName = name;
            await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventQueue = queue });

            var delivery = await emulator.PublishResourceEventAsync(ResourceEvent.Write(VmId));

            Assert.Equal(name, delivery.QueueName);
            Assert.Single(await StoredAsync(queue));
        }

        Assert.Equal(63, longest.Length);
        Assert.Equal(3, shortest.Length);
    }

    private EventQueueOptions NewQueue(EventMessageEncoding encoding = EventMessageEncoding.Base64, EventDeliverySchema schema = EventDeliverySchema.EventGrid) => new()
    {
        ConnectionString = azurite.ConnectionString,
        QueueName = "events-" + Guid.NewGuid().ToString("N"),
        Encoding = encoding,
        Schema = schema,
    };

    // The messages as stored, read by a client that decodes nothing.
    private async Task<PeekedMessage[]> StoredAsync(EventQueueOptions queue) =>
        (await new QueueClient(azurite.ConnectionString, queue.QueueName).PeekMessagesAsync(32)).Value;

    // Who called, where ARM's events say it: the claims of the caller's token (ARM's audience, the tenant's issuer, the
    // application and the object id under its full claim name, issued before the event) and the role assignment's
    // evidence naming the principal, as the documentation's ResourceActionSuccess example has them.
    private static void AssertCaller(JsonElement data, EventCaller caller, DateTimeOffset eventTime)
    {
        var claims = data.GetProperty("claims");
        Assert.Equal("https://management.azure.com/", Text(claims, "aud"));
        Assert.Equal($"https://sts.windows.net/{ArmJson.TenantId}/", Text(claims, "iss"));
        Assert.Equal(caller.ApplicationId, Text(claims, "appid"));
        Assert.Equal(caller.ObjectId, Text(claims, "http://schemas.microsoft.com/identity/claims/objectidentifier"));
        Assert.Equal(ArmJson.TenantId, Text(claims, "http://schemas.microsoft.com/identity/claims/tenantid"));
        var issuedAt = long.Parse(Text(claims, "iat"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(issuedAt, eventTime.AddHours(-1).ToUnixTimeSeconds(), eventTime.ToUnixTimeSeconds());
        Assert.True(long.Parse(Text(claims, "exp"), System.Globalization.CultureInfo.InvariantCulture) > eventTime.ToUnixTimeSeconds());
        Assert.Equal("1.0", Text(claims, "ver"));

        var evidence = data.GetProperty("authorization").GetProperty("evidence");
        Assert.Equal(["role", "roleAssignmentScope", "roleAssignmentId", "roleDefinitionId", "principalId", "principalType"], Names(evidence));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}", Text(evidence, "roleAssignmentScope"));
        Assert.Equal(Guid.Parse(caller.ObjectId).ToString("N"), Text(evidence, "principalId"));
        Assert.Equal(caller.PrincipalType, Text(evidence, "principalType"));
        Assert.True(Guid.TryParseExact(Text(evidence, "roleAssignmentId"), "N", out _));
        Assert.True(Guid.TryParseExact(Text(evidence, "roleDefinitionId"), "N", out _));
    }

    private static string ClosedPortConnectionString()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"DefaultEndpointsProtocol=http;AccountName={AzuriteProcess.AccountName};AccountKey={AzuriteProcess.AccountKey};QueueEndpoint=http://127.0.0.1:{port}/{AzuriteProcess.AccountName};";
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    private static string Text(JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString() ?? "";
    }
}
