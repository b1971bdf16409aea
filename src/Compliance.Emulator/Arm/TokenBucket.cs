namespace Compliance.Emulator.Arm;

/// <summary>
/// One token bucket in fixed point: a token is worth <c>RefillInterval.Ticks</c> units of credit, and every tick of
/// the clock adds <c>RefillTokens</c> units, so refills and waits are exact (no floating-point drift at 4 a minute).
/// Not thread-safe: <see cref="RequestThrottle"/> guards all its buckets with one lock.
/// </summary>
internal sealed class TokenBucket
{
    private readonly long _tokenCredit;
    private readonly long _fullCredit;
    private readonly long _creditPerTick;
    private long _credit;
    private DateTimeOffset _refilledAt;

    public TokenBucket(TokenBucketLimit limit, DateTimeOffset now)
    {
        Limit = limit;
        _tokenCredit = limit.RefillInterval.Ticks;
        _fullCredit = limit.Capacity * _tokenCredit;
        _creditPerTick = limit.RefillTokens;
        _credit = _fullCredit;
        _refilledAt = now;
    }

    public TokenBucketLimit Limit { get; }

    /// <summary>Requests refused since the last token was taken, for the "measured" count of Compute's 429 body.</summary>
    public int RefusedInARow { get; private set; }

    public bool HasToken => _credit >= _tokenCredit;

    /// <summary>Whole tokens left.</summary>
    public long Remaining => _credit / _tokenCredit;

    /// <summary>How long until a whole token is back; zero when one is there.</summary>
    public TimeSpan UntilToken => HasToken
        ? TimeSpan.Zero
        : TimeSpan.FromTicks((_tokenCredit - _credit + _creditPerTick - 1) / _creditPerTick);

    public void Refill(DateTimeOffset now)
    {
        var elapsed = (now - _refilledAt).Ticks;
        if (elapsed <= 0)
        {
            // A clock that stands still or steps back refills nothing.
            return;
        }

        _refilledAt = now;
        var missing = _fullCredit - _credit;

        // Compare with the time to fill before multiplying, so that long idle spells cannot overflow.
        _credit = elapsed >= (missing + _creditPerTick - 1) / _creditPerTick ? _fullCredit : _credit + (elapsed * _creditPerTick);
    }

    public void Take()
    {
        _credit -= _tokenCredit;
        RefusedInARow = 0;
    }

    public void Refuse() => RefusedInARow++;
}
