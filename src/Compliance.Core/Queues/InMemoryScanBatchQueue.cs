using System.Globalization;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Queues;

/// <summary>
/// The batch queue inside one process (the CLI without a store, and tests), with a storage queue's semantics on the
/// injected clock: received messages are hidden, come back when their time runs out, count their deliveries, and act
/// only with their latest receipt. Nothing survives the process.
/// </summary>
public sealed class InMemoryScanBatchQueue : IScanBatchQueue
{
    private readonly List<Entry> _entries = [];
    private readonly List<string> _poisoned = [];
    private readonly Lock _gate = new();
    private readonly IOptions<ScanQueueOptions> _options;
    private readonly TimeProvider _timeProvider;
    private long _nextId;

    /// <summary>Creates an empty queue.</summary>
    public InMemoryScanBatchQueue(IOptions<ScanQueueOptions> options, TimeProvider timeProvider)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>The texts of the messages moved to the poison queue, oldest first.</summary>
    public IReadOnlyList<string> Poisoned
    {
        get
        {
            lock (_gate)
            {
                return [.. _poisoned];
            }
        }
    }

    /// <inheritdoc />
    public Task SendAsync(IReadOnlyList<string> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            foreach (var text in messages)
            {
                ArgumentNullException.ThrowIfNull(text, nameof(messages));
                _entries.Add(new Entry((++_nextId).ToString(CultureInfo.InvariantCulture), text) { VisibleAt = now });
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SendAsync(string message, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var visibleAt = _timeProvider.GetUtcNow() + visibleIn;
        lock (_gate)
        {
            _entries.Add(new Entry((++_nextId).ToString(CultureInfo.InvariantCulture), message) { VisibleAt = visibleAt });
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<QueuedMessage>> ReceiveAsync(int maxMessages, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessages, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _timeProvider.GetUtcNow();
        var hiddenUntil = now + _options.Value.VisibilityTimeout;
        lock (_gate)
        {
            IReadOnlyList<QueuedMessage> received = _entries
                .Where(e => e.VisibleAt <= now)
                .Take(maxMessages)
                .Select(e =>
                {
                    e.VisibleAt = hiddenUntil;
                    e.DequeueCount++;
                    e.Receipt = Guid.NewGuid().ToString("N");
                    return e.ToMessage();
                })
                .ToList();
            return Task.FromResult(received);
        }
    }

    /// <inheritdoc />
    public Task<QueuedMessage> HideAsync(QueuedMessage message, TimeSpan visibleIn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Find(message);
            entry.VisibleAt = _timeProvider.GetUtcNow() + visibleIn;
            entry.Receipt = Guid.NewGuid().ToString("N");
            return Task.FromResult(entry.ToMessage());
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _entries.Remove(Find(message));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task PoisonAsync(QueuedMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var entry = Find(message);
            _entries.Remove(entry);
            _poisoned.Add(entry.Text);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_entries.Count);
        }
    }

    private Entry Find(QueuedMessage message) =>
        _entries.Find(e => e.Id == message.MessageId && e.Receipt == message.Receipt)
        ?? throw new QueueMessageGoneException($"Message {message.MessageId} is no longer held with this receipt.");

    private sealed class Entry(string id, string text)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public DateTimeOffset VisibleAt { get; set; }

        public long DequeueCount { get; set; }

        public string Receipt { get; set; } = string.Empty;

        public QueuedMessage ToMessage() => new(Id, Receipt, DequeueCount, Text);
    }
}
