using System.Text.Json;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;

namespace Compliance.Server.Events;

/// <summary>
/// One message of the resource-change queue, handled the same way by the <c>ResourceChanged</c> function and by the
/// consumer of <c>compliance serve</c>: the text (as stored, or Base64) holds one event or an array of them, in the
/// Event Grid schema or as CloudEvents; each is handed to the <see cref="ResourceChangeProcessor"/>, which is idempotent
/// per event id, so a message delivered again does nothing twice.
/// </summary>
public sealed class ResourceChangeHandler(ResourceChangeProcessor processor, ILogger<ResourceChangeHandler> logger)
{
    /// <summary>The most events one message may hold.</summary>
    public const int MaxEvents = 5000;

    /// <summary>The changes in <paramref name="message"/>.</summary>
    /// <exception cref="InvalidDataException">The message is not resource events: retrying it would not help.</exception>
    public static IReadOnlyList<ResourceChange> Read(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            using var document = JsonDocument.Parse(QueueMessageText.Decode(message), new JsonDocumentOptions { MaxDepth = 64 });
            var events = ResourceEventReader.Events(document.RootElement);
            if (events.Count > MaxEvents)
            {
                throw new InvalidDataException($"A message holds at most {MaxEvents} events; this one holds {events.Count}.");
            }

            var changes = new List<ResourceChange>(events.Count);
            foreach (var element in events)
            {
                try
                {
                    changes.Add(ResourceEventReader.Read(element));
                }
                catch (JsonException ex)
                {
                    throw new InvalidDataException($"Event {changes.Count}: {ex.Message}", ex);
                }
            }

            return changes;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            // InvalidOperationException: a string that is not valid UTF-16 (a lone surrogate escaped as \ud800).
            throw new InvalidDataException($"The message is not resource events: {ex.Message}", ex);
        }
    }

    /// <summary>Handles every event of <paramref name="message"/>; returns how many there were.</summary>
    /// <exception cref="InvalidDataException">The message is not resource events.</exception>
    public async Task<int> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var changes = Read(message);
        foreach (var change in changes)
        {
            var outcome = await processor.ProcessAsync(change, cancellationToken).ConfigureAwait(false);
            EventLog.Handled(logger, change.EventId, outcome.Duplicate ? "already handled" : outcome.Decision.ToString(), outcome.Reason);
        }

        return changes.Count;
    }
}
