using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Compliance.Azure.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Compliance.Benchmarks;

/// <summary>
/// The webhook the scans notify, on loopback: it records every delivery of every run (<c>/runs/{run}</c>) so that a
/// notification sent twice (same event id, or same type for the same subject) is counted.
/// </summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Delivery>> _runs = new(StringComparer.Ordinal);

    private NotificationReceiver(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public static async Task<NotificationReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new NotificationReceiver(app);
        app.MapPost("/runs/{run}", receiver.ReceiveAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Urls.First();
        receiver.Endpoint = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return receiver;
    }

    /// <summary>The address a run's scanner delivers to.</summary>
    public Uri For(string run) => new(Endpoint, $"runs/{Uri.EscapeDataString(run)}");

    /// <summary>Deliveries received for <paramref name="run"/>, and how many of them repeat an earlier one.</summary>
    public (int Delivered, int Duplicates) Count(string run)
    {
        if (!_runs.TryGetValue(run, out var deliveries))
        {
            return (0, 0);
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        var notices = new HashSet<(string, string)>();
        var duplicates = 0;
        foreach (var delivery in deliveries)
        {
            // A repeated id is the same message sent again; a repeated type and subject is the same news made twice.
            if (!ids.Add(delivery.Id) | !notices.Add((delivery.Type, delivery.Subject)))
            {
                duplicates++;
            }
        }

        return (deliveries.Count, duplicates);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync().ConfigureAwait(false);

    private async Task<IResult> ReceiveAsync(string run, HttpRequest request)
    {
        using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted).ConfigureAwait(false);
        var root = body.RootElement;
        _runs.GetOrAdd(run, _ => new ConcurrentQueue<Delivery>()).Enqueue(new Delivery(
            request.Headers[WebhookNotificationSink.EventIdHeaderName].ToString(),
            root.GetProperty("type").GetString() ?? string.Empty,
            root.GetProperty("subject").GetString() ?? string.Empty));
        return Results.Ok();
    }

    private sealed record Delivery(string Id, string Type, string Subject);
}
