using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Compliance.Functions.Tests;

/// <summary>A loopback webhook that records the notifications the app sends it (CloudEvents, one per request).</summary>
internal sealed class NotificationReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<JsonElement> _received;

    private NotificationReceiver(WebApplication app, ConcurrentQueue<JsonElement> received, Uri url)
    {
        _app = app;
        _received = received;
        Url = url;
    }

    public const string Secret = "notification-secret-0123456789";

    public Uri Url { get; }

    /// <summary>The CloudEvents received so far, in arrival order.</summary>
    public IReadOnlyList<JsonElement> Received => _received.ToArray();

    /// <summary>The settings that point the app's webhook sink here.</summary>
    public IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Compliance:Notifications:Webhook:Url"] = Url.ToString(),
        ["Compliance:Notifications:Webhook:Secret"] = Secret,
    };

    public IReadOnlyList<JsonElement> About(string resourceId) =>
        Received.Where(e => string.Equals(e.GetProperty("subject").GetString(), resourceId, StringComparison.OrdinalIgnoreCase)).ToList();

    public static async Task<NotificationReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var received = new ConcurrentQueue<JsonElement>();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            received.Enqueue(document.RootElement.Clone());
            return Results.Ok();
        });
        await app.StartAsync();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
        return new NotificationReceiver(app, received, new Uri($"http://127.0.0.1:{address.Port}/hook"));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
