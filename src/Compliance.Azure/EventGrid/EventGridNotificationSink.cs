using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Compliance.Core.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Azure.EventGrid;

/// <summary>
/// Publishes notifications as CloudEvents 1.0 to an Event Grid custom topic (<see cref="EventGridOptions"/>), in as
/// few requests as the topic's size limit allows, in the order given.
/// </summary>
/// <remarks>
/// When a request after the first is refused, the events of the earlier requests are already delivered and will be
/// delivered again when the whole list is retried; their ids do not change, so subscribers can drop the copies.
/// </remarks>
public sealed class EventGridNotificationSink : INotificationSink
{
    // Event Grid refuses a request over 1 MB. The margin covers the SDK writing an event slightly differently from
    // how it is measured here.
    internal const int MaxRequestBytes = 1_000_000;

    private const string DataContentType = "application/json";
    private const int ArrayBrackets = 2;
    private const int Comma = 1;

    private readonly EventGridPublisherClient _client;
    private readonly string _source;
    private readonly string _host;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates the sink for <see cref="EventGridOptions.TopicEndpoint"/>: with <see cref="EventGridOptions.TopicKey"/>
    /// when it is set, otherwise with <paramref name="credential"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The topic endpoint is not set, or the options are invalid.</exception>
    public EventGridNotificationSink(
        IOptions<EventGridOptions> options,
        IOptions<NotificationOptions> notificationOptions,
        TokenCredential credential,
        ILogger<EventGridNotificationSink> logger)
        : this(options, notificationOptions, credential, logger, new EventGridPublisherClientOptions())
    {
    }

    internal EventGridNotificationSink(
        IOptions<EventGridOptions> options,
        IOptions<NotificationOptions> notificationOptions,
        TokenCredential credential,
        ILogger<EventGridNotificationSink> logger,
        EventGridPublisherClientOptions clientOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(notificationOptions);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(clientOptions);

        var settings = options.Value;
        var endpoint = settings.TopicEndpoint
            ?? throw new InvalidOperationException($"{EventGridOptions.SectionName}:TopicEndpoint is not set: the Event Grid sink is disabled.");

        // Checked here too, so that a registration without ValidateOnStart still never sends a key over the network
        // in clear text.
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), errors, validateAllProperties: true))
        {
            throw new InvalidOperationException(string.Join(" ", errors.Select(e => e.ErrorMessage)));
        }

        _client = !string.IsNullOrWhiteSpace(settings.TopicKey)
            ? new EventGridPublisherClient(endpoint, new AzureKeyCredential(settings.TopicKey), clientOptions)
            : new EventGridPublisherClient(endpoint, credential, clientOptions);
        _source = notificationOptions.Value.Source;
        _host = endpoint.Authority;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Name => "eventgrid";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// A message's data is not JSON, or a message alone is larger than a request may be. Retrying does not help.
    /// </exception>
    /// <exception cref="RequestFailedException">The topic refused a request (after the SDK's retries).</exception>
    public async Task PublishAsync(IReadOnlyList<NotificationMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        // Every batch is built before the first is sent, so that a message that can never be sent stops the list
        // before anything of it is delivered.
        var batches = Batch(messages);
        var delivered = 0;
        for (var i = 0; i < batches.Count; i++)
        {
            try
            {
                await _client.SendEventsAsync(batches[i], cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex)
            {
                EventGridLog.Refused(_logger, _host, i + 1, batches.Count, ex.Status, ex.ErrorCode ?? "none", delivered, messages.Count);
                throw;
            }

            delivered += batches[i].Count;
        }

        EventGridLog.Published(_logger, messages.Count, _host, batches.Count);
    }

    private List<List<CloudEvent>> Batch(IReadOnlyList<NotificationMessage> messages)
    {
        var batches = new List<List<CloudEvent>>();
        var current = new List<CloudEvent>();
        var currentBytes = ArrayBrackets;
        foreach (var message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            var cloudEvent = ToCloudEvent(message);
            int size;
            try
            {
                size = JsonSerializer.SerializeToUtf8Bytes(cloudEvent).Length;
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The data of notification {message.Id} is not valid JSON.", nameof(messages), ex);
            }

            if (ArrayBrackets + size > MaxRequestBytes)
            {
                throw new ArgumentException(
                    $"Notification {message.Id} is {size} bytes as a CloudEvent; an Event Grid request may carry at most {MaxRequestBytes}.",
                    nameof(messages));
            }

            if (current.Count > 0 && currentBytes + Comma + size > MaxRequestBytes)
            {
                batches.Add(current);
                current = [];
                currentBytes = ArrayBrackets;
            }

            currentBytes += (current.Count > 0 ? Comma : 0) + size;
            current.Add(cloudEvent);
        }

        batches.Add(current);
        return batches;
    }

    // The Json data format puts the data in "data" as a JSON value; Binary would send it base64-encoded in
    // "data_base64", which subscribers would have to decode.
    private CloudEvent ToCloudEvent(NotificationMessage message) =>
        new(_source, message.Type, BinaryData.FromString(message.DataJson), DataContentType, CloudEventDataFormat.Json)
        {
            Id = message.Id,
            Subject = message.Subject,
            Time = message.Time,
        };
}
