namespace Compliance.Core.Storage;

/// <summary>The port to the memory of resource events already handled, so that a redelivered event changes nothing.</summary>
public interface IEventInbox
{
    /// <summary>Whether a resource event with this id was handled already.</summary>
    Task<bool> IsEventHandledAsync(string eventId, CancellationToken cancellationToken);

    /// <summary>Remembers that a resource event was handled, so a redelivery changes nothing.</summary>
    Task MarkEventHandledAsync(string eventId, DateTimeOffset handledAt, CancellationToken cancellationToken);

    /// <summary>
    /// Forgets events handled before <paramref name="handledBefore"/> (Event Grid redelivers for 24 hours at most);
    /// how many went.
    /// </summary>
    Task<int> PruneAsync(DateTimeOffset handledBefore, CancellationToken cancellationToken);
}
