using System.Buffers;
using System.ComponentModel.DataAnnotations;
using System.Net.Http.Headers;
using System.Text.Json;
using Compliance.Core.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.Webhooks;

/// <summary>
/// Posts every notification, one request each and in order, to the webhook of <see cref="WebhookOptions"/> as a
/// structured CloudEvent 1.0, signed with the shared secret (<see cref="WebhookSignature"/>).
/// </summary>
/// <remarks>
/// The target is only ever <see cref="WebhookOptions.Url"/>. Give this sink an <see cref="HttpClient"/> whose handler
/// does not follow redirects: a redirected delivery counts as failed, but the handler would already have posted the
/// body to the other address. The first refused message stops the list; the messages before it are delivered again
/// when the list is retried, with the same id (header <c>X-Compliance-Event-Id</c>), so receivers can drop copies.
/// </remarks>
public sealed class WebhookNotificationSink : INotificationSink
{
    /// <summary>The request header that carries the CloudEvent id, so a receiver can drop a copy before parsing.</summary>
    public const string EventIdHeaderName = "X-Compliance-Event-Id";

    /// <summary>The media type of a structured CloudEvent in JSON.</summary>
    public const string MediaType = "application/cloudevents+json";

    private readonly HttpClient _httpClient;
    private readonly Uri _url;
    private readonly string _secret;
    private readonly TimeSpan _timeout;
    private readonly string _source;
    private readonly string _host;
    private readonly ILogger _logger;

    /// <summary>Creates the sink for <see cref="WebhookOptions.Url"/>.</summary>
    /// <exception cref="InvalidOperationException">The URL is not set, or the options are invalid.</exception>
    public WebhookNotificationSink(
        IOptions<WebhookOptions> options,
        IOptions<NotificationOptions> notificationOptions,
        HttpClient httpClient,
        ILogger<WebhookNotificationSink> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notificationOptions);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(logger);

        var settings = options.Value;
        if (settings.Url is null)
        {
            throw new InvalidOperationException($"{WebhookOptions.SectionName}:Url is not set: the webhook sink is disabled.");
        }

        // Checked here too, so that a registration without ValidateOnStart still never signs with a weak secret or
        // posts over plain http to another machine. The messages name the settings, never their values.
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), errors, validateAllProperties: true)
            || settings.Secret is null)
        {
            throw new InvalidOperationException(string.Join(" ", errors.Select(e => e.ErrorMessage)));
        }

        _httpClient = httpClient;
        _url = settings.Url;
        _secret = settings.Secret;
        _timeout = settings.Timeout;
        _source = notificationOptions.Value.Source;

        // Webhook URLs often carry an access token in their path or query: messages and logs name the host only.
        _host = settings.Url.Authority;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "webhook";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A message's data is not JSON. Retrying does not help.</exception>
    /// <exception cref="HttpRequestException">
    /// The webhook answered other than 2xx (<see cref="HttpRequestException.StatusCode"/>), redirected, or could not be
    /// reached.
    /// </exception>
    /// <exception cref="TimeoutException">The webhook did not answer within <see cref="WebhookOptions.Timeout"/>.</exception>
    public async Task PublishAsync(IReadOnlyList<NotificationMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);

        // Every body is built before the first is sent, so that a message that can never be sent stops the list
        // before anything of it is delivered.
        var bodies = new byte[messages.Count][];
        for (var i = 0; i < messages.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(messages[i], nameof(messages));
            bodies[i] = Serialize(messages[i], nameof(messages));
        }

        for (var i = 0; i < messages.Count; i++)
        {
            await DeliverAsync(messages[i].Id, bodies[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(string id, byte[] body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(MediaType) { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(_secret, body));
        request.Headers.Add(EventIdHeaderName, id);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        HttpResponseMessage response;
        try
        {
            // Only the status matters: the body of the answer is never read.
            response = await _httpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            WebhookLog.TimedOut(_logger, id, _host, (long)_timeout.TotalMilliseconds);
            throw new TimeoutException($"The webhook at {_host} did not answer notification {id} within {_timeout.TotalSeconds:0.###} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            WebhookLog.Unreachable(_logger, ex, id, _host);
            throw new HttpRequestException(ex.HttpRequestError, $"The webhook at {_host} could not be reached for notification {id}: {ex.Message}", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.RequestMessage?.RequestUri is { } answeredBy && answeredBy != _url)
            {
                WebhookLog.Redirected(_logger, id, _host);
                throw new HttpRequestException(
                    $"The webhook at {_host} redirected notification {id} to another address; a redirect is not a delivery.",
                    null,
                    response.StatusCode);
            }

            if (!response.IsSuccessStatusCode)
            {
                WebhookLog.Refused(_logger, id, _host, status);
                throw new HttpRequestException(
                    $"The webhook at {_host} refused notification {id} with HTTP {status} ({response.ReasonPhrase}).",
                    null,
                    response.StatusCode);
            }

            WebhookLog.Delivered(_logger, id, _host, status);
        }
    }

    // A structured CloudEvent 1.0 (JSON event format), written by hand so the data is embedded exactly as given and
    // the signed bytes are exactly the sent bytes.
    private byte[] Serialize(NotificationMessage message, string paramName)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + message.DataJson.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("specversion", "1.0");
            writer.WriteString("id", message.Id);
            writer.WriteString("source", _source);
            writer.WriteString("type", message.Type);
            writer.WriteString("subject", message.Subject);
            writer.WriteString("time", message.Time);
            writer.WriteString("datacontenttype", "application/json");
            writer.WritePropertyName("data");
            try
            {
                writer.WriteRawValue(message.DataJson);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The data of notification {message.Id} is not valid JSON.", paramName, ex);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
