namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>What the ARM client sent and got: requests by kind, 429s, and retries of failed requests.</summary>
public sealed class ArmRequestStatistics
{
    private readonly long[] _sent = new long[Enum.GetValues<ArmRequestKind>().Length];
    private long _throttled;
    private long _retried;

    /// <summary>Requests put on the wire (each retry counts), by kind.</summary>
    public IReadOnlyDictionary<ArmRequestKind, long> Sent =>
        Enum.GetValues<ArmRequestKind>().ToDictionary(kind => kind, kind => Interlocked.Read(ref _sent[(int)kind]));

    /// <summary>All requests put on the wire.</summary>
    public long Total => Sent.Values.Sum();

    /// <summary>Answers 429 Too Many Requests.</summary>
    public long Throttled => Interlocked.Read(ref _throttled);

    /// <summary>Requests sent again after a 5xx, a 408 or a network failure.</summary>
    public long Retried => Interlocked.Read(ref _retried);

    internal void OnSent(ArmRequestKind kind) => Interlocked.Increment(ref _sent[(int)kind]);

    internal void OnThrottled() => Interlocked.Increment(ref _throttled);

    internal void OnRetried() => Interlocked.Increment(ref _retried);
}
