using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Testing;

/// <summary>
/// A Kestrel app on 127.0.0.1 and a free port that records every request, on any path, and answers what
/// <see cref="Respond"/> says (200 by default); <see cref="Mode"/> takes it down or makes it hold requests without
/// answering. The app's two notification sinks point at it through <see cref="Settings"/>: the webhook posts its single
/// CloudEvents to <see cref="WebhookUrl"/>, the Event Grid topic client its batches to <see cref="TopicUrl"/>. With HTTPS
/// it presents a self-signed certificate made for this instance only.
/// </summary>
public sealed class LoopbackReceiver : IAsyncDisposable
{
    public const string WebhookSink = "webhook";
    public const string EventGridSink = "eventgrid";
    public const string WebhookSecret = "loopback-webhook-secret-0123456789";
    public const string TopicKey = "loopback-topic-key-0123456789";

    private const string WebhookPath = "/hook";
    private const string TopicPath = "/topic";

    private readonly WebApplication _app;
    private readonly X509Certificate2? _serverCertificate;
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly Channel<ReceivedRequest> _arrivals = Channel.CreateUnbounded<ReceivedRequest>();
    private readonly ConcurrentDictionary<string, int> _refused = new(StringComparer.Ordinal);
    private volatile TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ReceiverMode _mode;
    private int _held;

    private LoopbackReceiver(WebApplication app, X509Certificate2? serverCertificate)
    {
        _app = app;
        _serverCertificate = serverCertificate;
        Certificate = serverCertificate is null ? null : X509CertificateLoader.LoadCertificate(serverCertificate.RawData);
    }

    /// <summary>The base address, e.g. <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Where the app's webhook sink posts.</summary>
    public Uri WebhookUrl => new(BaseAddress, WebhookPath);

    /// <summary>Where the app's Event Grid sink posts (the custom topic's endpoint).</summary>
    public Uri TopicUrl => new(BaseAddress, TopicPath);

    /// <summary>The server certificate (public part) when the receiver runs HTTPS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>Sets the answer to a request received while <see cref="ReceiverMode.Up"/>; leaving the response alone answers 200 with no body.</summary>
    public Func<ReceivedRequest, HttpContext, Task> Respond { get; set; } = (_, _) => Task.CompletedTask;

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

    /// <summary>The requests received while <see cref="ReceiverMode.Up"/>, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. _requests];

    /// <summary>The events the two sinks delivered while <see cref="ReceiverMode.Up"/>, with their sink, oldest first.</summary>
    public IReadOnlyList<(string Sink, JsonElement Event)> Notifications =>
        [.. Requests.Where(r => SinkOf(r.Path) is not null).SelectMany(r => r.Events().Select(e => (SinkOf(r.Path)!, e)))];

    /// <summary>Requests answered 503 while <see cref="ReceiverMode.Down"/>, on every path.</summary>
    public int Refused => _refused.Values.Sum();

    /// <summary>Requests that arrived while <see cref="ReceiverMode.Hold"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>The settings that point the app's webhook sink here.</summary>
    public IDictionary<string, string?> WebhookSettings => new Dictionary<string, string?>
    {
        ["Compliance:Notifications:Webhook:Url"] = WebhookUrl.ToString(),
        ["Compliance:Notifications:Webhook:Secret"] = WebhookSecret,
        ["Compliance:Notifications:Webhook:Timeout"] = "00:00:05",
    };

    /// <summary>The settings that point both of the app's sinks here: the webhook and an Event Grid topic.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>(WebhookSettings)
    {
        ["Compliance:Notifications:EventGrid:TopicEndpoint"] = TopicUrl.ToString(),
        ["Compliance:Notifications:EventGrid:TopicKey"] = TopicKey,
    };

    /// <summary>Starts a receiver that answers each request while up with the status and JSON body <paramref name="answer"/> gives.</summary>
    public static async Task<LoopbackReceiver> StartAsync(Func<ReceivedRequest, (int StatusCode, string Body)> answer, bool https = false)
    {
        var receiver = await StartAsync(https);
        receiver.Respond = async (request, context) =>
        {
            var (statusCode, body) = answer(request);
            context.Response.StatusCode = statusCode;
            if (body.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(body, context.RequestAborted);
            }
        };
        return receiver;
    }

    public static async Task<LoopbackReceiver> StartAsync(bool https = false)
    {
        var certificate = https ? CreateCertificate() : null;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app, certificate);
        app.Run(receiver.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        receiver.BaseAddress = new Uri($"{(https ? "https" : "http")}://127.0.0.1:{new Uri(address).Port}/");
        return receiver;
    }

    /// <summary>The events <paramref name="sink"/> delivered, oldest first.</summary>
    public IReadOnlyList<JsonElement> EventsOf(string sink) => [.. Notifications.Where(n => n.Sink == sink).Select(n => n.Event)];

    /// <summary>The webhook's CloudEvents about <paramref name="resourceId"/> (their <c>subject</c>), oldest first.</summary>
    public IReadOnlyList<JsonElement> About(string resourceId) =>
        [.. EventsOf(WebhookSink).Where(e => string.Equals(e.GetProperty("subject").GetString(), resourceId, StringComparison.OrdinalIgnoreCase))];

    /// <summary>Requests <paramref name="sink"/> answered 503 while <see cref="ReceiverMode.Down"/>.</summary>
    public int RefusedBy(string sink) => _refused.GetValueOrDefault(sink);

    /// <summary>The next request received while up, in arrival order; fails the test when none comes within ten seconds.</summary>
    public async Task<ReceivedRequest> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _arrivals.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Mode = ReceiverMode.Up;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _serverCertificate?.Dispose();
        Certificate?.Dispose();
    }

    private static string? SinkOf(string path) => path switch
    {
        WebhookPath => WebhookSink,
        TopicPath => EventGridSink,
        _ => null,
    };

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        switch (Mode)
        {
            case ReceiverMode.Down:
                _refused.AddOrUpdate(SinkOf(path) ?? path, 1, (_, count) => count + 1);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            case ReceiverMode.Hold:
                Interlocked.Increment(ref _held);
                await _released.Task.WaitAsync(context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                context.Abort();
                return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var request = new ReceivedRequest(context.Request.Method, path, context.Request.QueryString.Value ?? string.Empty, headers, body.ToArray());
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);
        await Respond(request, context);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Compliance loopback receiver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddDays(2));

        // On Linux, Kestrel can only use the private key of a certificate loaded from PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
