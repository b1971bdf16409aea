namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// Paces a Compute bucket. Compute reports several policies in one header, some per subscription and some per resource
/// (a different resource each time), so its counts only say "nearly empty" reliably. The client-side mirror of the
/// bucket: while the server reports plenty left, requests go
/// unpaced. When a response reports the bucket nearly empty, or a 429 arrives, requests are released at the bucket's
/// refill rate (no more than it can take, no less, so neither retry storms nor idle capacity); a 429's
/// <c>Retry-After</c> holds everything back until it has passed. The server's remaining count corrects the estimate
/// with every response.
/// </summary>
internal sealed class RatePacer : IRequestPacer
{
    // "Nearly empty": the next few requests would be refused.
    private const int LowWater = 2;

    // "Plenty left" again: back to unpaced.
    private const int HighWater = 20;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly LearnedRate _rate;
    private bool _paced;
    private double _tokens;
    private DateTimeOffset _refilledAt;
    private DateTimeOffset _pausedUntil;

    public RatePacer(double ratePerSecond, TimeProvider time)
    {
        _rate = new LearnedRate(ratePerSecond);
        _time = time;
    }

    /// <summary>Whether requests are being paced now.</summary>
    public bool IsPaced
    {
        get
        {
            lock (_gate)
            {
                return _paced;
            }
        }
    }

    /// <summary>The rate the pacer releases requests at when paced.</summary>
    public double Rate
    {
        get
        {
            lock (_gate)
            {
                return _rate.PerSecond;
            }
        }
    }

    /// <summary>Waits until this bucket may take one more request, and takes it.</summary>
    public async ValueTask<PacerTicket> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now < _pausedUntil)
                {
                    wait = _pausedUntil - now;
                }
                else if (!_paced)
                {
                    return new PacerTicket(0, now);
                }
                else
                {
                    Refill(now);
                    if (_tokens >= 1)
                    {
                        _tokens -= 1;
                        return new PacerTicket(0, now);
                    }

                    wait = TimeSpan.FromSeconds((1 - _tokens) / _rate.PerSecond);
                }
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public void Observe(PacerTicket ticket, int? remaining)
    {
        if (remaining is { } left)
        {
            Observe(left);
        }
    }

    /// <inheritdoc />
    public void Throttled(PacerTicket ticket, TimeSpan retryAfter) => Throttled(retryAfter);

    /// <summary>Takes in the remaining count a response reported for this bucket.</summary>
    public void Observe(int remaining)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (remaining <= LowWater)
            {
                if (!_paced)
                {
                    _paced = true;
                    _tokens = remaining;
                    _refilledAt = now;
                }
                else
                {
                    Refill(now);
                    _tokens = Math.Min(_tokens, remaining);
                }
            }
            else if (_paced && remaining >= HighWater)
            {
                _paced = false;
            }

            // Recover slowly towards the documented rate after a 429 lowered it.
            _rate.Recover();
        }
    }

    /// <summary>Takes in a 429: nothing goes before <paramref name="retryAfter"/>, then requests go at a lower rate.</summary>
    public void Throttled(TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var until = now + (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }

            _paced = true;
            _tokens = 0;
            _refilledAt = _pausedUntil;
            _rate.Lower();
        }
    }

    // Tokens accrue at the rate, capped at one second's worth: a paced bucket never releases a burst.
    private void Refill(DateTimeOffset now)
    {
        if (now > _refilledAt)
        {
            _tokens = Math.Min(Math.Max(1, _rate.PerSecond), _tokens + ((now - _refilledAt).TotalSeconds * _rate.PerSecond));
            _refilledAt = now;
        }
    }
}
