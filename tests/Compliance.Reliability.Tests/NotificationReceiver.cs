using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Reliability.Tests;

/// <summary>
/// Both notification sinks on one loopback port: <c>/hook</c> takes the webhook's single CloudEvents, <c>/topic</c> an
/// Event Grid custom topic's batches. Records the events it accepted, per sink; <see cref="Mode"/> takes it down or
/// makes it hold requests without answering.
/// </summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    public const string WebhookSink = "webhook";
    public const string EventGridSink = "eventgrid";
    public const string WebhookSecret = "reliability-webhook-secret-0123";
    public const string TopicKey = "reliability-topic-key-0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Sink, JsonElement Event)> _accepted = new();
    private volatile TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ReceiverMode _mode;
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private int _held;

    private NotificationReceiver(WebApplication app) => _app = app;

    public Uri WebhookUrl { get; private set; } = null!;

    public Uri TopicUrl { get; private set; } = null!;

    /// <summary>Requests answered 503 while <see cref="ReceiverMode.Down"/>, on both sinks.</summary>
    public int Refused => _refused.Values.Sum();

    /// <summary>Requests <paramref name="sink"/> answered 503 while <see cref="ReceiverMode.Down"/>.</summary>
    public int RefusedBy(string sink) => _refused.GetValueOrDefault(sink);

    /// <summary>Requests that arrived while <see cref="ReceiverMode.Hold"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    public ReceiverMode Mode
    {
        get => _mode;
        set
        {
            _mode = value;
            if (value != ReceiverMode.Hold)
            {
                // Held requests end without an answer that counts: as if the connection had dropped.
                _released.TrySetResult();
                _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>The events accepted so far, with their sink, oldest first.</summary>
    public IReadOnlyList<(string Sink, JsonElement Event)> Accepted => [.. _accepted];

    /// <summary>The settings that point the app's two sinks here.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Compliance:Notifications:Webhook:Url"] = WebhookUrl.ToString(),
        ["Compliance:Notifications:Webhook:Secret"] = WebhookSecret,
        ["Compliance:Notifications:Webhook:Timeout"] = "00:00:05",
        ["Compliance:Notifications:EventGrid:TopicEndpoint"] = TopicUrl.ToString(),
        ["Compliance:Notifications:EventGrid:TopicKey"] = TopicKey,
    };

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.MapPost("/hook", context => receiver.ReceiveAsync(context, WebhookSink));
        app.MapPost("/topic", context => receiver.ReceiveAsync(context, EventGridSink));
        await app.StartAsync();
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        receiver.WebhookUrl = new Uri($"http://127.0.0.1:{port}/hook");
        receiver.TopicUrl = new Uri($"http://127.0.0.1:{port}/topic");
        return receiver;
    }

    /// <summary>Waits until a request is held; fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitForHeldAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (Held == 0)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "No notification arrived to hold.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Mode = ReceiverMode.Up;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ReceiveAsync(HttpContext context, string sink)
    {
        switch (Mode)
        {
            case ReceiverMode.Down:
                _refused.AddOrUpdate(sink, 1, (_, count) => count + 1);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            case ReceiverMode.Hold:
                Interlocked.Increment(ref _held);
                await _released.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var root = document.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in root.EnumerateArray())
            {
                _accepted.Enqueue((sink, item.Clone()));
            }
        }
        else
        {
            _accepted.Enqueue((sink, root.Clone()));
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
