using System.Text;
using System.Text.RegularExpressions;
using Azure.Storage.Queues;

namespace Compliance.Emulator.Events;

/// <summary>
/// Writes the subscription's resource events to a storage queue, as an Event Grid event subscription with a Storage
/// Queue destination does, and remembers every message written.
/// </summary>
internal sealed partial class EventPublisher : IAsyncDisposable
{
    private readonly QueueClient? _queue;
    private readonly EventMessageEncoding _encoding;
    private readonly EventDeliverySchema _schema;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<EventDelivery> _deliveries = [];
    private readonly HashSet<Task> _inFlight = [];
    private int _failures;
    private bool _queueCreated;
    private bool _disposed;

    private EventPublisher(QueueClient? queue, EventMessageEncoding encoding, EventDeliverySchema schema, TimeProvider timeProvider)
    {
        _queue = queue;
        _encoding = encoding;
        _schema = schema;
        _time = timeProvider;
    }

    /// <summary>Whether there is a queue to write to.</summary>
    public bool HasQueue => _queue is not null;

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

    /// <summary>A publisher to the queue of <paramref name="options"/>, or to none when it is <see langword="null"/>.</summary>
    /// <exception cref="ArgumentException">A setting of <paramref name="options"/> is missing or malformed.</exception>
    public static EventPublisher Create(EventQueueOptions? options, TimeProvider timeProvider, string paramName)
    {
        if (options is null)
        {
            return new EventPublisher(null, EventMessageEncoding.Base64, EventDeliverySchema.EventGrid, timeProvider);
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            throw new ArgumentException("EventQueue.ConnectionString is required.", paramName);
        }

        // Checked here because the storage service would refuse a bad name only at the first event, in a delivery
        // nobody awaits. https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata
        if (options.QueueName is null || !QueueName().IsMatch(options.QueueName))
        {
            throw new ArgumentException(
                $"EventQueue.QueueName '{options.QueueName}' is not a queue name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                paramName);
        }

        if (!Enum.IsDefined(options.Encoding))
        {
            throw new ArgumentException($"EventQueue.Encoding {options.Encoding} is neither Raw nor Base64.", paramName);
        }

        if (!Enum.IsDefined(options.Schema))
        {
            throw new ArgumentException($"EventQueue.Schema {options.Schema} is neither EventGrid nor CloudEvents.", paramName);
        }

        var clientOptions = new QueueClientOptions
        {
            MessageEncoding = options.Encoding == EventMessageEncoding.Base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
        };

        // Event Grid retries a failed delivery for up to a day; the emulator writes to a storage account on this
        // machine, where a failure that outlasts two quick retries will not pass, and counts it so that tests and
        // benchmarks see it at once rather than after the SDK's default back-off.
        clientOptions.Retry.MaxRetries = 2;
        clientOptions.Retry.Delay = TimeSpan.FromMilliseconds(200);
        clientOptions.Retry.MaxDelay = TimeSpan.FromSeconds(1);

        QueueClient queue;
        try
        {
            queue = new QueueClient(options.ConnectionString, options.QueueName, clientOptions);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            // The connection string carries the account key: the message names the setting, never its value.
            throw new ArgumentException("EventQueue.ConnectionString is not a storage connection string.", paramName);
        }

        return new EventPublisher(queue, options.Encoding, options.Schema, timeProvider);
    }

    /// <summary>Writes one resource event to the queue, creating the queue first when it is missing.</summary>
    public async Task<EventDelivery> PublishAsync(ResourceEvent resourceEvent, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        ArgumentNullException.ThrowIfNull(resourceEvent);
        var queue = _queue ?? throw new InvalidOperationException(
            "The emulator has no event queue: set ArmEmulatorOptions.EventQueue to publish resource events.");
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.EventType, nameof(resourceEvent));
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.OperationName, nameof(resourceEvent));
        ArgumentException.ThrowIfNullOrEmpty(resourceEvent.Id, nameof(resourceEvent));
        ArgumentNullException.ThrowIfNull(resourceEvent.ResourceId, nameof(resourceEvent));
        ArgumentNullException.ThrowIfNull(resourceEvent.Caller, nameof(resourceEvent));
        if (!Guid.TryParseExact(resourceEvent.Caller.ObjectId, "D", out _))
        {
            throw new ArgumentException($"The caller's object id '{resourceEvent.Caller.ObjectId}' is not a GUID.", nameof(resourceEvent));
        }

        var json = EventGridJson.Event(resourceEvent, resourceEvent.EventTime ?? _time.GetUtcNow(), _schema);

        if (!Volatile.Read(ref _queueCreated))
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _queueCreated, true);
        }

        var receipt = await queue.SendMessageAsync(json, cancellationToken).ConfigureAwait(false);

        // What QueueMessageEncoding.Base64 stores: the Base64 of the text's UTF-8 bytes.
        var stored = _encoding == EventMessageEncoding.Base64 ? Convert.ToBase64String(Encoding.UTF8.GetBytes(json)) : json;
        var delivery = new EventDelivery(queue.Name, receipt.Value.MessageId, resourceEvent.Id, resourceEvent.EventType, stored, json);
        lock (_lock)
        {
            _deliveries.Add(delivery);
        }

        return delivery;
    }

    /// <summary>
    /// Writes a resource event without waiting for it. Its errors never reach the caller; a message that could not be
    /// written is counted in <see cref="Failures"/>.
    /// </summary>
    public void PublishInBackground(ResourceEvent resourceEvent)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Off the caller's thread: the caller is a request handler that must answer now.
            var delivery = Task.Run(() => DeliverQuietlyAsync(resourceEvent));
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
        _stopping.Dispose();
    }

    private async Task DeliverQuietlyAsync(ResourceEvent resourceEvent)
    {
        try
        {
            await PublishAsync(resourceEvent, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // The emulator is stopping; an interrupted delivery is not the storage account's failure.
        }
        catch (ObjectDisposedException) when (Volatile.Read(ref _disposed))
        {
            // Disposal began between the start of this delivery and its first step; it is not a failure either.
        }
        catch (Exception)
        {
            // Nobody awaits this delivery: whatever went wrong is a failure to count, never an exception to surface.
            Interlocked.Increment(ref _failures);
        }
    }

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueName();
}
