using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Compliance.Azure.Webhooks;
using Compliance.Core.Notifications;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Compliance.Azure.Tests.Webhooks;

public sealed class WebhookNotificationSinkTests(ITestOutputHelper output)
{
    private const string Secret = "whsec-4f1c2b9e7a6d5c3b";
    private const string Subject = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01";
    private const string DataJson = """{"status":"ActionRequired","actions":["GuestUpdate"],"findings":[{"code":"GUEST_UPDATE_MISSING","severity":"High"}]}""";

    private static readonly DateTimeOffset _time = new(2026, 11, 21, 10, 15, 0, TimeSpan.Zero);

    private static NotificationMessage Message(string id = "3f9a6c1e-guest-update", string dataJson = DataJson) =>
        new(id, NotificationTypes.GuestUpdateRequired, Subject, _time, dataJson);

    private static WebhookNotificationSink Sink(Uri url, HttpClient httpClient, CapturingLoggerProvider? logs = null, TimeSpan? timeout = null) =>
        new(
            Options.Create(new WebhookOptions { Url = url, Secret = Secret, Timeout = timeout ?? TimeSpan.FromSeconds(10) }),
            Options.Create(new NotificationOptions { Source = "/compliance/test" }),
            httpClient,
            (logs ?? new CapturingLoggerProvider()).CreateLogger<WebhookNotificationSink>());

    private static Uri Hook(LoopbackReceiver receiver) => new(receiver.BaseAddress, "hooks/compliance");

    private static void AssertSecretAbsent(Exception exception, CapturingLoggerProvider logs)
    {
        Assert.DoesNotContain(Secret, exception.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(Secret, line, StringComparison.Ordinal));
    }

    [Fact]
    public void Name_IsWebhook()
    {
        using var httpClient = new HttpClient();

        Assert.Equal("webhook", Sink(new Uri("https://hooks.example.com/"), httpClient).Name);
    }

    [Fact]
    public async Task PublishAsync_OneMessage_PostsTheStructuredCloudEventToTheUrl()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var httpClient = new HttpClient();

        await Sink(Hook(receiver), httpClient).PublishAsync([Message()], CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        var body = Encoding.UTF8.GetString(request.Body);
        output.WriteLine(body);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/compliance", request.Path);
        Assert.Equal("application/cloudevents+json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal("3f9a6c1e-guest-update", request.Header("X-Compliance-Event-Id"));
        Assert.Equal(
            "{\"specversion\":\"1.0\",\"id\":\"3f9a6c1e-guest-update\",\"source\":\"/compliance/test\",\"type\":\"Compliance.GuestUpdateRequired\","
            + $"\"subject\":\"{Subject}\",\"time\":\"2026-11-21T10:15:00+00:00\",\"datacontenttype\":\"application/json\",\"data\":{DataJson}}}",
            body);
        var cloudEvent = JsonNode.Parse(body)!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DataJson), cloudEvent["data"]));
    }

    [Fact]
    public async Task PublishAsync_OneMessage_SignatureVerifiesWithTheSecretOnly()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var httpClient = new HttpClient();

        await Sink(Hook(receiver), httpClient).PublishAsync([Message()], CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        var signature = request.Header("X-Compliance-Signature");
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(WebhookSignature.Verify(Secret, request.Body, signature));
        Assert.False(WebhookSignature.Verify("whsec-another-secret", request.Body, signature));
        var modified = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(request.Body).Replace("ActionRequired", "Compliant", StringComparison.Ordinal));
        Assert.False(WebhookSignature.Verify(Secret, modified, signature));
    }

    [Fact]
    public async Task PublishAsync_ThreeMessages_OnePostEachInOrder()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var httpClient = new HttpClient();

        await Sink(Hook(receiver), httpClient).PublishAsync([Message("a"), Message("b"), Message("c")], CancellationToken.None);

        Assert.Equal(["a", "b", "c"], receiver.Requests.Select(r => r.Header("X-Compliance-Event-Id")));
        Assert.Equal(["a", "b", "c"], receiver.Requests.Select(r => JsonNode.Parse(r.Body)!["id"]!.GetValue<string>()));
        Assert.All(receiver.Requests, r => Assert.True(WebhookSignature.Verify(Secret, r.Body, r.Header("X-Compliance-Signature"))));
    }

    [Fact]
    public async Task PublishAsync_NoMessage_SendsNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var httpClient = new HttpClient();

        await Sink(Hook(receiver), httpClient).PublishAsync([], CancellationToken.None);

        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task PublishAsync_ReceiverAnswers500_ThrowsNamingTheStatusAndStopsTheList()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 500;
            return Task.CompletedTask;
        };
        using var httpClient = new HttpClient();
        var logs = new CapturingLoggerProvider();

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => Sink(Hook(receiver), httpClient, logs).PublishAsync([Message("a"), Message("b")], CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, exception.StatusCode);
        Assert.Equal($"The webhook at 127.0.0.1:{receiver.BaseAddress.Port} refused notification a with HTTP 500 (Internal Server Error).", exception.Message);
        Assert.Equal("a", Assert.Single(receiver.Requests).Header("X-Compliance-Event-Id"));
        AssertSecretAbsent(exception, logs);
    }

    [Fact]
    public async Task PublishAsync_ReceiverAnswers401_Throws()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = (_, context) =>
        {
            context.Response.StatusCode = 401;
            return Task.CompletedTask;
        };
        using var httpClient = new HttpClient();

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => Sink(Hook(receiver), httpClient).PublishAsync([Message()], CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, exception.StatusCode);
    }

    [Fact]
    public async Task PublishAsync_ClosedPort_ThrowsWithoutTheSecret()
    {
        using var httpClient = new HttpClient();
        var logs = new CapturingLoggerProvider();
        var port = LoopbackPort.Free();

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => Sink(new Uri($"http://127.0.0.1:{port}/hook"), httpClient, logs).PublishAsync([Message()], CancellationToken.None));

        Assert.Null(exception.StatusCode);
        Assert.Equal(HttpRequestError.ConnectionError, exception.HttpRequestError);
        Assert.StartsWith($"The webhook at 127.0.0.1:{port} could not be reached for notification 3f9a6c1e-guest-update: ", exception.Message, StringComparison.Ordinal);
        AssertSecretAbsent(exception, logs);
    }

    [Fact]
    public async Task PublishAsync_ReceiverTooSlow_ThrowsTimeout()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = (_, context) => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        using var httpClient = new HttpClient();
        var logs = new CapturingLoggerProvider();

        var exception = await Assert.ThrowsAsync<TimeoutException>(
            () => Sink(Hook(receiver), httpClient, logs, TimeSpan.FromSeconds(1)).PublishAsync([Message()], CancellationToken.None));

        Assert.Equal($"The webhook at 127.0.0.1:{receiver.BaseAddress.Port} did not answer notification 3f9a6c1e-guest-update within 1 s.", exception.Message);
        AssertSecretAbsent(exception, logs);
    }

    [Fact]
    public async Task PublishAsync_CallerCancels_ThrowsOperationCanceled()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = (_, context) => Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        using var httpClient = new HttpClient();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Sink(Hook(receiver), httpClient).PublishAsync([Message()], cancellation.Token));
    }

    [Fact]
    public async Task PublishAsync_ReceiverRedirects_ThrowsEvenWhenTheOtherAddressAccepts()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = (request, context) =>
        {
            if (request.Path == "/hooks/compliance")
            {
                context.Response.StatusCode = 307;
                context.Response.Headers.Location = "/elsewhere";
            }

            return Task.CompletedTask;
        };
        using var httpClient = new HttpClient();

        var exception = await Assert.ThrowsAsync<HttpRequestException>(
            () => Sink(Hook(receiver), httpClient).PublishAsync([Message()], CancellationToken.None));

        Assert.Equal(HttpStatusCode.OK, exception.StatusCode);
        Assert.Equal(
            $"The webhook at 127.0.0.1:{receiver.BaseAddress.Port} redirected notification 3f9a6c1e-guest-update to another address; a redirect is not a delivery.",
            exception.Message);
    }

    [Fact]
    public async Task PublishAsync_DataNotJson_ThrowsArgumentExceptionAndSendsNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        using var httpClient = new HttpClient();

        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => Sink(Hook(receiver), httpClient).PublishAsync([Message("a"), Message("b", "{not json")], CancellationToken.None));

        Assert.Equal("messages", exception.ParamName);
        Assert.StartsWith("The data of notification b is not valid JSON.", exception.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public void Constructor_UrlNotSet_ThrowsDisabled()
    {
        using var httpClient = new HttpClient();

        var exception = Assert.Throws<InvalidOperationException>(() => new WebhookNotificationSink(
            Options.Create(new WebhookOptions { Secret = Secret }),
            Options.Create(new NotificationOptions()),
            httpClient,
            new CapturingLoggerProvider().CreateLogger<WebhookNotificationSink>()));

        Assert.Equal("Compliance:Notifications:Webhook:Url is not set: the webhook sink is disabled.", exception.Message);
    }

    [Fact]
    public void Constructor_ShortSecret_ThrowsWithoutTheSecret()
    {
        using var httpClient = new HttpClient();
        const string ShortSecret = "short-secret-15";

        var exception = Assert.Throws<InvalidOperationException>(() => new WebhookNotificationSink(
            Options.Create(new WebhookOptions { Url = new Uri("https://hooks.example.com/"), Secret = ShortSecret }),
            Options.Create(new NotificationOptions()),
            httpClient,
            new CapturingLoggerProvider().CreateLogger<WebhookNotificationSink>()));

        Assert.Equal("Compliance:Notifications:Webhook:Secret is required with a Url and must have at least 16 characters.", exception.Message);
    }

    [Fact]
    public void Constructor_PlainHttpToAnotherHost_Throws()
    {
        using var httpClient = new HttpClient();

        var exception = Assert.Throws<InvalidOperationException>(() => new WebhookNotificationSink(
            Options.Create(new WebhookOptions { Url = new Uri("http://hooks.example.com/"), Secret = Secret }),
            Options.Create(new NotificationOptions()),
            httpClient,
            new CapturingLoggerProvider().CreateLogger<WebhookNotificationSink>()));

        Assert.Equal("Compliance:Notifications:Webhook:Url must be an absolute https URL (http only for a loopback host).", exception.Message);
    }
}
