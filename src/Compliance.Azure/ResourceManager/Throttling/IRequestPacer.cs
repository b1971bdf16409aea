namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>The client-side view of one server-side rate-limit bucket.</summary>
internal interface IRequestPacer
{
    /// <summary>Waits until the bucket may take one more request; the ticket identifies that request's place in line.</summary>
    ValueTask<PacerTicket> WaitAsync(CancellationToken cancellationToken);

    /// <summary>Takes in the remaining count the answer to <paramref name="ticket"/> reported, or that it reported none.</summary>
    void Observe(PacerTicket ticket, int? remaining);

    /// <summary>Takes in a 429 for <paramref name="ticket"/>: nothing goes before <paramref name="retryAfter"/>.</summary>
    void Throttled(PacerTicket ticket, TimeSpan retryAfter);
}

/// <summary>A request's place in line at one pacer: its sequence number and when it was let go.</summary>
internal readonly record struct PacerTicket(long Sequence, DateTimeOffset At);
