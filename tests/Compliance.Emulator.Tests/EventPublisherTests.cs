using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Azure;
using Azure.ResourceManager.Compute;
using Azure.ResourceManager.Compute.Models;
using Compliance.Emulator.Arm;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class EventPublisherTests
{
    private const string Group = $"/subscriptions/{TestFleets.SubscriptionId}/resourceGroups";
    private const string VmId = $"{Group}/rg-rds/providers/Microsoft.Compute/virtualMachines/win-ok";
    private const string InstanceId = $"{Group}/rg-web/providers/Microsoft.Compute/virtualMachineScaleSets/web-vmss/virtualMachines/0";
    private const string CloudServiceId = $"{Group}/rg-legacy/providers/Microsoft.Compute/cloudServices/legacy-api";

    private static readonly DateTimeOffset _now = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567);

    [Fact]
    public async Task PublishResourceEventAsync_WriteOnVm_PostsArrayOfOneEventWithEveryFieldAndHeader()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now) });
        await using var receiver = await LoopbackReceiver.StartAsync();
        var resourceEvent = ResourceEvent.Write(VmId);

        var delivery = await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal(receiver.WebhookUrl.AbsolutePath, request.Path);
        Assert.Equal("Notification", request.Headers["aeg-event-type"]);
        Assert.Equal("COMPLIANCE", request.Headers["aeg-subscription-name"]);
        Assert.Equal("0", request.Headers["aeg-delivery-count"]);
        Assert.Equal("2", request.Headers["aeg-data-version"]);
        Assert.Equal("1", request.Headers["aeg-metadata-version"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        var sent = request.SingleEvent();
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
        Assert.Equal("""{"role":"Subscription Admin"}""", authorization.GetProperty("evidence").GetRawText());
        var claims = data.GetProperty("claims");
        Assert.Equal(["aud", "iss", "appid"], Names(claims));
        Assert.Equal("https://management.azure.com/", Text(claims, "aud"));
        Assert.Equal($"https://sts.windows.net/{ArmJson.TenantId}/", Text(claims, "iss"));
        Assert.True(Guid.TryParseExact(Text(claims, "appid"), "D", out _));
        Assert.True(Guid.TryParseExact(Text(data, "correlationId"), "D", out _));
        Assert.Equal("Microsoft.Compute", Text(data, "resourceProvider"));
        Assert.Equal(VmId, Text(data, "resourceUri"));
        Assert.Equal("Microsoft.Compute/virtualMachines/write", Text(data, "operationName"));
        Assert.Equal("Succeeded", Text(data, "status"));
        Assert.Equal(TestFleets.SubscriptionId, Text(data, "subscriptionId"));
        Assert.Equal(ArmJson.TenantId, Text(data, "tenantId"));

        Assert.Equal(new EventDelivery(receiver.WebhookUrl, resourceEvent.Id, "Microsoft.Resources.ResourceWriteSuccess", 200, ""), delivery);
        Assert.Equal([delivery], emulator.Deliveries);
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
    public async Task PublishResourceEventAsync_EachKindAndResource_SendsOperationAndHttpRequestOfActionsAndDeletes(
        string resourceId, string verb, string? method, string urlSuffix, string operationName)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync();
        var resourceEvent = verb switch
        {
            "write" => ResourceEvent.Write(resourceId),
            "delete" => ResourceEvent.Delete(resourceId),
            _ => ResourceEvent.Action(resourceId, verb),
        };

        await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);

        var sent = Assert.Single(receiver.Requests).SingleEvent();
        var data = sent.GetProperty("data");
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
    public async Task PublishResourceEventAsync_SameEventTwice_DeliversTheSameIdAndBody()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync();
        var resourceEvent = ResourceEvent.Action(VmId, "start") with { EventTime = _now };

        var first = await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);
        var second = await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(receiver.Requests[0].Text, receiver.Requests[1].Text);
        Assert.Equal(resourceEvent.Id, Text(receiver.Requests[1].SingleEvent(), "id"));
        Assert.Equal("2030-01-02T03:04:05.1234567Z", Text(receiver.Requests[1].SingleEvent(), "eventTime"));
        Assert.Equal(first, second);
        Assert.Equal([first, second], emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_ExplicitIdAndOtherEventType_SendsThemAsGiven()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync();
        var resourceEvent = ResourceEvent.Write(VmId) with { Id = "4db48cba-50a2-455a-93b4-de41a3b5b7f6", EventType = "Microsoft.Resources.ResourceWriteFailure" };

        await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);

        var sent = Assert.Single(receiver.Requests).SingleEvent();
        Assert.Equal("4db48cba-50a2-455a-93b4-de41a3b5b7f6", Text(sent, "id"));
        Assert.Equal("Microsoft.Resources.ResourceWriteFailure", Text(sent, "eventType"));
        Assert.Equal("Failed", Text(sent.GetProperty("data"), "status"));
    }

    [Fact]
    public async Task PublishResourceEventAsync_WebhookAnswers500_ReturnsStatusAndBodyWithoutThrowing()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync(_ => (500, """{"error":"busy"}"""));
        var resourceEvent = ResourceEvent.Delete(VmId);

        var delivery = await emulator.PublishResourceEventAsync(receiver.WebhookUrl, resourceEvent);

        Assert.Equal(new EventDelivery(receiver.WebhookUrl, resourceEvent.Id, "Microsoft.Resources.ResourceDeleteSuccess", 500, """{"error":"busy"}"""), delivery);
        Assert.Equal([delivery], emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_HttpsOnLoopbackWithSelfSignedCertificate_Delivers()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync(https: true);

        var delivery = await emulator.PublishResourceEventAsync(receiver.WebhookUrl, ResourceEvent.Write(CloudServiceId));

        Assert.Equal("https", receiver.WebhookUrl.Scheme);
        Assert.Equal(200, delivery.StatusCode);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task PublishResourceEventAsync_LocalhostByName_Delivers()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync();
        var byName = new UriBuilder(receiver.WebhookUrl) { Host = "localhost" }.Uri;

        var delivery = await emulator.PublishResourceEventAsync(byName, ResourceEvent.Write(VmId));

        Assert.Equal(200, delivery.StatusCode);
        Assert.Equal(byName, delivery.Target);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("https://example.com/api/events")]
    [InlineData("https://management.azure.com/")]
    [InlineData("http://10.0.0.1/api/events")]
    [InlineData("ftp://127.0.0.1/api/events")]
    public async Task PublishResourceEventAsync_NotHttpOnLoopback_ThrowsArgumentExceptionAndSendsNothing(string webhook)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        var error = await Assert.ThrowsAsync<ArgumentException>(() => emulator.PublishResourceEventAsync(new Uri(webhook), ResourceEvent.Write(VmId)));
        var validation = await Assert.ThrowsAsync<ArgumentException>(() => emulator.ValidateWebhookAsync(new Uri(webhook)));

        Assert.Equal("webhook", error.ParamName);
        Assert.Equal("webhook", validation.ParamName);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_NothingListening_ThrowsHttpRequestException()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());

        await Assert.ThrowsAsync<HttpRequestException>(() => emulator.PublishResourceEventAsync(ClosedPortUrl(), ResourceEvent.Write(VmId)));

        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task PublishResourceEventAsync_AfterDispose_ThrowsObjectDisposedException()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await emulator.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => emulator.PublishResourceEventAsync(receiver.WebhookUrl, ResourceEvent.Write(VmId)));

        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task ValidateWebhookAsync_WebhookEchoesCodeWith200_IsAcceptedAndSendsTheValidationEvent()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { TimeProvider = new FakeTimeProvider(_now) });
        await using var receiver = await LoopbackReceiver.StartAsync(request =>
            (200, $$"""{"validationResponse":"{{Text(request.SingleEvent().GetProperty("data"), "validationCode")}}"}"""));

        var validation = await emulator.ValidateWebhookAsync(receiver.WebhookUrl);

        Assert.True(validation.Accepted);
        Assert.Equal(200, validation.StatusCode);
        Assert.Equal($$"""{"validationResponse":"{{validation.ValidationCode}}"}""", validation.Body);
        Assert.True(Guid.TryParseExact(validation.ValidationCode, "D", out _));
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("SubscriptionValidation", request.Headers["aeg-event-type"]);
        Assert.Equal("COMPLIANCE", request.Headers["aeg-subscription-name"]);
        Assert.Equal("application/json; charset=utf-8", request.Headers["Content-Type"]);
        var sent = request.SingleEvent();
        Assert.Equal(["id", "topic", "subject", "data", "eventType", "eventTime", "metadataVersion", "dataVersion"], Names(sent));
        Assert.True(Guid.TryParseExact(Text(sent, "id"), "D", out _));
        Assert.Equal($"/subscriptions/{TestFleets.SubscriptionId}", Text(sent, "topic"));
        Assert.Equal("", Text(sent, "subject"));
        Assert.Equal("Microsoft.EventGrid.SubscriptionValidationEvent", Text(sent, "eventType"));
        Assert.Equal("2030-01-02T03:04:05.1234567Z", Text(sent, "eventTime"));
        Assert.Equal("1", Text(sent, "metadataVersion"));
        Assert.Equal("1", Text(sent, "dataVersion"));
        var data = sent.GetProperty("data");
        Assert.Equal(["validationCode", "validationUrl"], Names(data));
        Assert.Equal(validation.ValidationCode, Text(data, "validationCode"));
        var prefix = $"https://rp-westeurope.eventgrid.azure.net:553/eventsubscriptions/compliance/validate?id={validation.ValidationCode}&t=2030-01-02T03:04:05.1234567Z&apiVersion=2018-05-01-preview&token=";
        Assert.StartsWith(prefix, Text(data, "validationUrl"), StringComparison.Ordinal);
        Assert.NotEqual(prefix, Text(data, "validationUrl"));
        Assert.Contains("&apiVersion=", request.Text, StringComparison.Ordinal);
        var delivery = Assert.Single(emulator.Deliveries);
        Assert.Equal(new EventDelivery(receiver.WebhookUrl, Text(sent, "id"), "Microsoft.EventGrid.SubscriptionValidationEvent", 200, validation.Body), delivery);
    }

    [Theory]
    [InlineData("202 with the code")]
    [InlineData("200 with another code")]
    [InlineData("200 with the code under another name")]
    [InlineData("200 with the code as a bare string")]
    [InlineData("200 without a body")]
    [InlineData("400 with the code")]
    public async Task ValidateWebhookAsync_AnythingButTheCodeWith200_IsNotAccepted(string answer)
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard());
        await using var receiver = await LoopbackReceiver.StartAsync(request =>
        {
            var code = Text(request.SingleEvent().GetProperty("data"), "validationCode");
            return answer switch
            {
                "202 with the code" => (202, $$"""{"validationResponse":"{{code}}"}"""),
                "200 with another code" => (200, $$"""{"validationResponse":"{{Guid.NewGuid():D}}"}"""),
                "200 with the code under another name" => (200, $$"""{"validationCode":"{{code}}"}"""),
                "200 with the code as a bare string" => (200, $"\"{code}\""),
                "200 without a body" => (200, ""),
                _ => (400, $$"""{"validationResponse":"{{code}}"}"""),
            };
        });

        var validation = await emulator.ValidateWebhookAsync(receiver.WebhookUrl);

        Assert.False(validation.Accepted);
        Assert.Equal(int.Parse(answer[..3], System.Globalization.CultureInfo.InvariantCulture), validation.StatusCode);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData("rg-rds", "win-ok", null, "Microsoft.Compute/virtualMachines/runCommand/action")]
    [InlineData("rg-web", "web-vmss", "0", "Microsoft.Compute/virtualMachineScaleSets/virtualMachines/runCommand/action")]
    public async Task EventWebhook_RunCommandAccepted_ReceivesRunCommandActionEvent(string resourceGroup, string name, string? instanceId, string operationName)
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventWebhook = receiver.WebhookUrl });
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

        var received = await receiver.NextAsync();
        await emulator.WhenEventsDeliveredAsync();
        var resourceId = Assert.Single(emulator.RunCommands).ResourceId;

        Assert.Equal("Notification", received.Headers["aeg-event-type"]);
        var sent = received.SingleEvent();
        var data = sent.GetProperty("data");
        Assert.Equal("Microsoft.Resources.ResourceActionSuccess", Text(sent, "eventType"));
        Assert.Equal(resourceId.Replace("/resourceGroups/", "/resourcegroups/", StringComparison.Ordinal), Text(sent, "subject"));
        Assert.Equal(resourceId, Text(data, "resourceUri"));
        Assert.Equal(operationName, Text(data, "operationName"));
        Assert.Equal("POST", Text(data.GetProperty("httpRequest"), "method"));
        Assert.Equal($"https://management.azure.com{resourceId}/runCommand?api-version=2023-07-01", Text(data.GetProperty("httpRequest"), "url"));
        var delivery = Assert.Single(emulator.Deliveries);
        Assert.Equal(new EventDelivery(receiver.WebhookUrl, Text(sent, "id"), "Microsoft.Resources.ResourceActionSuccess", 200, ""), delivery);
        Assert.Equal(0, emulator.EventDeliveryFailures);
    }

    [Fact]
    public async Task EventWebhook_RunCommandRefused_PublishesNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventWebhook = receiver.WebhookUrl });
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-app", "win-stopped"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript")));
        await emulator.WhenEventsDeliveredAsync();

        Assert.Equal(409, error.Status);
        Assert.Empty(receiver.Requests);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task EventWebhook_ConnectionRefused_CountsOneFailureAndRecordsNoDelivery()
    {
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventWebhook = ClosedPortUrl() });
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-rds", "win-ok"));

        var operation = await vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        await emulator.WhenEventsDeliveredAsync();

        Assert.True(operation.HasCompleted);
        Assert.Equal(1, emulator.EventDeliveryFailures);
        Assert.Empty(emulator.Deliveries);
    }

    [Fact]
    public async Task EventWebhook_WebhookAnswers500_CountsOneFailureAndRecordsTheDelivery()
    {
        await using var receiver = await LoopbackReceiver.StartAsync(_ => (500, ""));
        await using var emulator = await ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventWebhook = receiver.WebhookUrl });
        var vm = ArmClientFactory.Create(emulator, maxRetries: 0).GetVirtualMachineResource(
            VirtualMachineResource.CreateResourceIdentifier(TestFleets.SubscriptionId, "rg-rds", "win-ok"));

        await vm.RunCommandAsync(WaitUntil.Completed, new RunCommandInput("RunPowerShellScript"));
        await emulator.WhenEventsDeliveredAsync();

        Assert.Equal(1, emulator.EventDeliveryFailures);
        Assert.Equal(500, Assert.Single(emulator.Deliveries).StatusCode);
    }

    [Theory]
    [InlineData("https://example.com/api/events")]
    [InlineData("http://192.168.1.10/api/events")]
    public async Task StartAsync_EventWebhookOffLoopback_ThrowsArgumentException(string webhook)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            ArmEmulator.StartAsync(TestFleets.Standard(), new ArmEmulatorOptions { EventWebhook = new Uri(webhook) }));

        Assert.Equal("options", error.ParamName);
    }

    private static Uri ClosedPortUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/api/events");
    }

    private static string[] Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name).ToArray();

    private static string Text(JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return value.GetString() ?? "";
    }
}
