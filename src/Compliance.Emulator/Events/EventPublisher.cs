using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Compliance.Emulator.Events;

/// <summary>
/// Delivers Event Grid events to webhooks on this machine, as Event Grid's webhook delivery does, and
/// remembers every delivery. Refuses anything that is not on loopback: the emulator sends nothing off the machine.
/// </summary>
internal sealed class EventPublisher : IAsyncDisposable
{
    private const string SubscriptionName = "COMPLIANCE";

    // Event Grid waits 30 seconds for a webhook's answer.
    private static readonly TimeSpan _deliveryTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<EventDelivery> _deliveries = [];
    private readonly HashSet<Task> _inFlight = [];
    private int _failures;
    private bool _disposed;

    public EventPublisher(TimeProvider timeProvider)
    {
        _time = timeProvider;
        var handler = new SocketsHttpHandler
        {
            // A redirect or a proxy from the environment could carry a delivery off the machine.
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectCallback = ConnectToLoopbackAsync,
        };

        // The one place the emulator trusts a certificate it cannot verify: ConnectToLoopbackAsync only ever connects
        // to a loopback address, so the certificate is that of a server on this machine, the test's own receiver.
        handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        _http = new HttpClient(handler) { Timeout = _deliveryTimeout, MaxResponseContentBufferSize = 1024 * 1024 };
    }

    public IReadOnlyList<EventDelivery> Deliveries
    {
        get
        {
            lock (_lock)
            {
                return _deliveries.ToArray();
            }
        }
    }

    public int Failures => Volatile.Read(ref _failures);

    /// <summary>Refuses a webhook that is not http(s) on a loopback host.</summary>
    /// <exception cref="ArgumentException">It is not.</exception>
    public static void CheckTarget(Uri webhook, string paramName)
    {
        ArgumentNullException.ThrowIfNull(webhook, paramName);
        if (!webhook.IsAbsoluteUri || (webhook.Scheme != Uri.UriSchemeHttp && webhook.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"'{webhook}' is not an absolute http or https URL.", paramName);
        }

        if (!webhook.IsLoopback)
        {
            throw new ArgumentException($"'{webhook}' is not on loopback; the emulator sends nothing off this machine.", paramName);
        }
    }

    /// <summary>Posts one resource event and returns the webhook's answer, whatever its status.</summary>
    public async Task<EventDelivery> PublishAsync(Uri webhook, ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        CheckTarget(webhook, nameof(webhook));
        ArgumentNullException.ThrowIfNull(resourceEvent);
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.EventType, nameof(resourceEvent));
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.OperationName, nameof(resourceEvent));
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.Id, nameof(resourceEvent));
        ArgumentNullException.ThrowIfNull(resourceEvent.ResourceId, nameof(resourceEvent));
        var body = EventGridJson.Notification(resourceEvent, resourceEvent.EventTime ?? _time.GetUtcNow());
        return await SendAsync(webhook, "Notification", "2", resourceEvent.Id, resourceEvent.EventType, body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Performs the subscription-validation handshake.</summary>
    public async Task<WebhookValidation> ValidateAsync(Uri webhook, string subscriptionId, CancellationToken cancellationToken)
    {
        CheckTarget(webhook, nameof(webhook));
        var code = Guid.NewGuid().ToString("D");
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var eventId = Guid.NewGuid().ToString("D");
        var body = EventGridJson.SubscriptionValidation(eventId, subscriptionId, code, token, _time.GetUtcNow());
        var delivery = await SendAsync(webhook, "SubscriptionValidation", "1", eventId, EventGridJson.ValidationEventType, body, cancellationToken).ConfigureAwait(false);
        return new WebhookValidation(
            delivery.StatusCode == (int)HttpStatusCode.OK && EchoesCode(delivery.Body, code),
            delivery.StatusCode,
            code,
            delivery.Body);
    }

    /// <summary>
    /// Posts a resource event without waiting for it. Its errors never reach the caller; a delivery that fails or
    /// that the webhook refuses (anything but 2xx, as Event Grid counts it) is counted in <see cref="Failures"/>.
    /// </summary>
    public void PublishInBackground(Uri webhook, ResourceEvent resourceEvent)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Off the caller's thread: the caller is a request handler that must answer now.
            var delivery = Task.Run(() => DeliverQuietlyAsync(webhook, resourceEvent));
            _inFlight.Add(delivery);
            _ = delivery.ContinueWith(
                done =>
                {
                    lock (_lock)
                    {
                        _inFlight.Remove(done);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>Completes when every background delivery started so far has ended.</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            return Task.WhenAll(_inFlight.ToArray());
        }
    }

    /// <summary>Cancels the background deliveries still under way and waits for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await WhenIdleAsync().ConfigureAwait(false);
        _http.Dispose();
        _stopping.Dispose();
    }

    private async Task DeliverQuietlyAsync(Uri webhook, ResourceEvent resourceEvent)
    {
        try
        {
            var delivery = await PublishAsync(webhook, resourceEvent, _stopping.Token).ConfigureAwait(false);
            if (delivery.StatusCode is < 200 or > 299)
            {
                Interlocked.Increment(ref _failures);
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The emulator is stopping; an interrupted delivery is not the webhook's failure.
        }
        catch (Exception)
        {
            // Nobody awaits this delivery: whatever went wrong is a failure to count, never an exception to surface.
            Interlocked.Increment(ref _failures);
        }
    }

    private async Task<EventDelivery> SendAsync(
        Uri webhook,
        string aegEventType,
        string dataVersion,
        string eventId,
        string eventType,
        string body,
        CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", aegEventType);
        request.Headers.Add("aeg-subscription-name", SubscriptionName);
        request.Headers.Add("aeg-delivery-count", "0");
        request.Headers.Add("aeg-data-version", dataVersion);
        request.Headers.Add("aeg-metadata-version", "1");

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var answer = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var delivery = new EventDelivery(webhook, eventId, eventType, (int)response.StatusCode, answer);
        lock (_lock)
        {
            _deliveries.Add(delivery);
        }

        return delivery;
    }

    private static bool EchoesCode(string body, string code)
    {
        try
        {
            using var answer = JsonDocument.Parse(body);
            return answer.RootElement.ValueKind == JsonValueKind.Object
                && answer.RootElement.TryGetProperty("validationResponse", out var response)
                && response.ValueKind == JsonValueKind.String
                && string.Equals(response.GetString(), code, StringComparison.Ordinal);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Name resolution could map a loopback-looking name elsewhere; only addresses that are loopback are ever dialled.
    private static async ValueTask<Stream> ConnectToLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        var loopback = Array.FindAll(addresses, IPAddress.IsLoopback);
        if (loopback.Length == 0)
        {
            throw new HttpRequestException($"'{host}' does not resolve to a loopback address; the emulator sends nothing off this machine.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(loopback, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
