using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Emulator.Tests;

/// <summary>
/// A webhook endpoint on a free loopback port that records what it receives and answers as the test says.
/// </summary>
internal sealed class WebhookReceiver : IAsyncDisposable
{
    private const string Path = "/api/events";

    private readonly WebApplication _app;
    private readonly X509Certificate2? _certificate;
    private readonly ConcurrentQueue<ReceivedWebhook> _received;
    private readonly Channel<ReceivedWebhook> _arrivals;

    private WebhookReceiver(WebApplication app, X509Certificate2? certificate, ConcurrentQueue<ReceivedWebhook> received, Channel<ReceivedWebhook> arrivals, Uri url)
    {
        _app = app;
        _certificate = certificate;
        _received = received;
        _arrivals = arrivals;
        Url = url;
    }

    /// <summary>The webhook's URL, e.g. <c>http://127.0.0.1:51234/api/events</c>.</summary>
    public Uri Url { get; }

    /// <summary>Everything received so far, in arrival order.</summary>
    public IReadOnlyList<ReceivedWebhook> Received => _received.ToArray();

    /// <summary>Starts a receiver that answers 200 with an empty body unless <paramref name="answer"/> says otherwise.</summary>
    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedWebhook, (int StatusCode, string Body)>? answer = null, bool https = false)
    {
        answer ??= _ => (StatusCodes.Status200OK, "");
        var certificate = https ? EmulatorCertificate.Create() : null;
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
        var received = new ConcurrentQueue<ReceivedWebhook>();
        var arrivals = Channel.CreateUnbounded<ReceivedWebhook>();
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedWebhook(context.Request.Method, context.Request.Path + context.Request.QueryString, headers, body);
            received.Enqueue(request);
            await arrivals.Writer.WriteAsync(request, context.RequestAborted);
            var (statusCode, text) = answer(request);
            context.Response.StatusCode = statusCode;
            if (text.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(text, context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return new WebhookReceiver(app, certificate, received, arrivals, new Uri($"{(https ? "https" : "http")}://127.0.0.1:{address.Port}{Path}"));
    }

    /// <summary>The next request, in arrival order; fails the test when none comes within ten seconds.</summary>
    public async Task<ReceivedWebhook> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _arrivals.Reader.ReadAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _certificate?.Dispose();
    }
}
