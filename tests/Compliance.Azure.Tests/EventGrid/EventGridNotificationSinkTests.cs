using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Messaging.EventGrid;
using Compliance.Azure.EventGrid;
using Compliance.Azure.ResourceManager;
using Compliance.Core.Notifications;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Compliance.Azure.Tests.EventGrid;

public sealed class EventGridNotificationSinkTests(ITestOutputHelper output)
{
    private const string TopicKey = "dGVzdC10b3BpYy1rZXktZG8tbm90LWxvZw==";
    private const string Subject = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/web-01";
    private const string DataJson = """{"status":"ActionRequired","actions":["GuestUpdate"],"findings":[{"code":"GUEST_UPDATE_MISSING","severity":"High"}]}""";
    private const int MaxRetries = 2;

    private static readonly DateTimeOffset _time = new(2026, 11, 21, 10, 15, 0, TimeSpan.Zero);

    private static NotificationMessage Message(string id = "3f9a6c1e-guest-update", string dataJson = DataJson) =>
        new(id, NotificationTypes.GuestUpdateRequired, Subject, _time, dataJson);

    private static Uri Topic(LoopbackReceiver receiver) => new(receiver.BaseAddress, "api/events");

    private static EventGridPublisherClientOptions ClientOptions(HttpPipelineTransport? transport = null)
    {
        var options = new EventGridPublisherClientOptions();
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        if (transport is not null)
        {
            options.Transport = transport;
        }

        return options;
    }

    private static EventGridNotificationSink Sink(
        Uri endpoint,
        string? key = TopicKey,
        TokenCredential? credential = null,
        CapturingLoggerProvider? logs = null,
        HttpPipelineTransport? transport = null) =>
        new(
            Options.Create(new EventGridOptions { TopicEndpoint = endpoint, TopicKey = key }),
            Options.Create(new NotificationOptions { Source = "/compliance/test" }),
            credential ?? new RecordingTokenCredential("unused-token"),
            (logs ?? new CapturingLoggerProvider()).CreateLogger<EventGridNotificationSink>(),
            ClientOptions(transport));

    private static Func<ReceivedRequest, Microsoft.AspNetCore.Http.HttpContext, Task> Answer(int status) => (_, context) =>
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    };

    private static JsonArray Events(ReceivedRequest request) => JsonNode.Parse(request.Body)!.AsArray();

    [Fact]
    public void Name_IsEventGrid()
    {
        Assert.Equal("eventgrid", Sink(new Uri("https://compliance.westeurope-1.eventgrid.azure.net/api/events")).Name);
    }

    [Fact]
    public async Task PublishAsync_WithKey_PostsACloudEventsBatchWithTheKeyHeader()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        await Sink(Topic(receiver)).PublishAsync([Message("a"), Message("b")], CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/events", request.Path);
        Assert.Equal("?api-version=2018-01-01", request.QueryString);
        Assert.Equal(TopicKey, request.Header("aeg-sas-key"));
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Equal("application/cloudevents-batch+json; charset=utf-8", request.Header("Content-Type"));
        Assert.Equal(["a", "b"], Events(request).Select(e => e!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PublishAsync_OneMessage_SendsTheCloudEventWithDataAsJson()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        await Sink(Topic(receiver)).PublishAsync([Message()], CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        output.WriteLine(Encoding.UTF8.GetString(request.Body));
        var cloudEvent = Assert.Single(Events(request))!.AsObject();
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.Equal("3f9a6c1e-guest-update", cloudEvent["id"]!.GetValue<string>());
        Assert.Equal("/compliance/test", cloudEvent["source"]!.GetValue<string>());
        Assert.Equal(NotificationTypes.GuestUpdateRequired, cloudEvent["type"]!.GetValue<string>());
        Assert.Equal(Subject, cloudEvent["subject"]!.GetValue<string>());
        Assert.Equal(_time, DateTimeOffset.Parse(cloudEvent["time"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("application/json", cloudEvent["datacontenttype"]!.GetValue<string>());
        Assert.Equal(System.Text.Json.JsonValueKind.Object, cloudEvent["data"]!.GetValueKind());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(DataJson), cloudEvent["data"]));
        Assert.False(cloudEvent.ContainsKey("data_base64"));
    }

    [Fact]
    public async Task PublishAsync_NoMessage_SendsNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        await Sink(Topic(receiver)).PublishAsync([], CancellationToken.None);

        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task PublishAsync_MoreThanOneMegabyte_SplitsIntoRequestsUnderTheLimitInOrder()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var data = new JsonObject { ["padding"] = new string('x', 5 * 1024) }.ToJsonString();
        var messages = Enumerable.Range(0, 300).Select(i => Message($"evt-{i:D3}", data)).ToList();

        await Sink(Topic(receiver)).PublishAsync(messages, CancellationToken.None);

        Assert.Equal(2, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.InRange(r.Body.Length, 1, EventGridNotificationSink.MaxRequestBytes));
        var received = receiver.Requests.SelectMany(Events).Select(e => e!["id"]!.GetValue<string>()).ToList();
        Assert.Equal(messages.Select(m => m.Id), received);
    }

    [Fact]
    public async Task PublishAsync_ReceiverAnswers500_ThrowsAfterTheRetries()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = Answer(500);
        var logs = new CapturingLoggerProvider();

        var exception = await Assert.ThrowsAsync<RequestFailedException>(
            () => Sink(Topic(receiver), logs: logs).PublishAsync([Message()], CancellationToken.None));

        Assert.Equal(500, exception.Status);
        Assert.Equal(MaxRetries + 1, receiver.Requests.Count);
        Assert.DoesNotContain(TopicKey, exception.ToString(), StringComparison.Ordinal);
        var line = Assert.Single(logs.Lines);
        Assert.Contains($"Event Grid topic 127.0.0.1:{receiver.BaseAddress.Port} refused request 1 of 1 (HTTP 500, error code none); 0 of 1 events were delivered before it", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ReceiverAnswers401_ThrowsWithoutRetryOrKey()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        receiver.Respond = Answer(401);
        var logs = new CapturingLoggerProvider();

        var exception = await Assert.ThrowsAsync<RequestFailedException>(
            () => Sink(Topic(receiver), logs: logs).PublishAsync([Message()], CancellationToken.None));

        Assert.Equal(401, exception.Status);
        Assert.Single(receiver.Requests);
        Assert.DoesNotContain(TopicKey, exception.ToString(), StringComparison.Ordinal);
        Assert.NotEmpty(logs.Lines);
        Assert.All(logs.Lines, line => Assert.DoesNotContain(TopicKey, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublishAsync_SecondRequestRefused_ThrowsAfterDeliveringTheFirst()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var requests = 0;
        receiver.Respond = (_, context) =>
        {
            if (Interlocked.Increment(ref requests) > 1)
            {
                context.Response.StatusCode = 400;
            }

            return Task.CompletedTask;
        };
        var data = new JsonObject { ["padding"] = new string('x', 5 * 1024) }.ToJsonString();
        var messages = Enumerable.Range(0, 300).Select(i => Message($"evt-{i:D3}", data)).ToList();
        var logs = new CapturingLoggerProvider();

        var exception = await Assert.ThrowsAsync<RequestFailedException>(
            () => Sink(Topic(receiver), logs: logs).PublishAsync(messages, CancellationToken.None));

        Assert.Equal(400, exception.Status);
        Assert.Equal(2, receiver.Requests.Count);
        var delivered = Events(receiver.Requests[0]).Count;
        Assert.Contains($"refused request 2 of 2 (HTTP 400, error code none); {delivered} of 300 events were delivered before it", Assert.Single(logs.Lines), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task PublishAsync_WithTokenCredential_SendsABearerTokenForTheEventGridScope(string? key)
    {
        await using var receiver = await LoopbackReceiver.StartAsync(https: true);
        var credential = new RecordingTokenCredential("test-access-token");
        var transport = new HttpClientTransport(PinnedCertificateHandler.Create(receiver.Certificate!));

        await Sink(Topic(receiver), key: key, credential: credential, transport: transport).PublishAsync([Message()], CancellationToken.None);

        var request = Assert.Single(receiver.Requests);
        Assert.Equal("Bearer test-access-token", request.Header("Authorization"));
        Assert.False(request.Headers.ContainsKey("aeg-sas-key"));
        Assert.Equal("3f9a6c1e-guest-update", Assert.Single(Events(request))!["id"]!.GetValue<string>());
        Assert.Equal(["https://eventgrid.azure.net/.default"], Assert.Single(credential.RequestedScopes));
    }

    [Fact]
    public async Task PublishAsync_DataNotJson_ThrowsArgumentExceptionAndSendsNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();

        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => Sink(Topic(receiver)).PublishAsync([Message("a"), Message("b", "{not json")], CancellationToken.None));

        Assert.Equal("messages", exception.ParamName);
        Assert.StartsWith("The data of notification b is not valid JSON.", exception.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task PublishAsync_MessageLargerThanARequest_ThrowsArgumentExceptionAndSendsNothing()
    {
        await using var receiver = await LoopbackReceiver.StartAsync();
        var data = new JsonObject { ["padding"] = new string('x', EventGridNotificationSink.MaxRequestBytes) }.ToJsonString();

        var exception = await Assert.ThrowsAsync<ArgumentException>(
            () => Sink(Topic(receiver)).PublishAsync([Message("a"), Message("big", data)], CancellationToken.None));

        Assert.Equal("messages", exception.ParamName);
        Assert.StartsWith("Notification big is ", exception.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public void Constructor_EndpointNotSet_ThrowsDisabled()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Sink(null!));

        Assert.Equal("Compliance:Notifications:EventGrid:TopicEndpoint is not set: the Event Grid sink is disabled.", exception.Message);
    }

    [Fact]
    public void Constructor_PlainHttpToAnotherHost_Throws()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Sink(new Uri("http://compliance.westeurope-1.eventgrid.azure.net/api/events")));

        Assert.Equal("Compliance:Notifications:EventGrid:TopicEndpoint must be an absolute https URL (http only for a loopback host).", exception.Message);
    }

    [Fact]
    public void Constructor_PublicForDependencyInjection_CreatesTheSink()
    {
        var sink = new EventGridNotificationSink(
            Options.Create(new EventGridOptions { TopicEndpoint = new Uri("https://compliance.westeurope-1.eventgrid.azure.net/api/events") }),
            Options.Create(new NotificationOptions()),
            new RecordingTokenCredential("unused-token"),
            new CapturingLoggerProvider().CreateLogger<EventGridNotificationSink>());

        Assert.Equal("eventgrid", sink.Name);
    }
}
