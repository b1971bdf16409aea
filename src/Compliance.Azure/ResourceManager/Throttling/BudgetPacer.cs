namespace Compliance.Azure.ResourceManager.Throttling;

/// <summary>
/// Paces one bucket that ARM reports exactly (<c>x-ms-ratelimit-remaining-subscription-*</c>: the subscription's tokens
/// left after the request). The first request goes alone; its answer says how many tokens are left, and that many go
/// at once (the burst is used, not guessed); after that requests go as tokens come back at the refill rate. A local
/// bucket mirrors the server's: reset by every fresher answer to <c>remaining − requests sent since</c>, refilled at the
/// rate, so a wrong rate costs a few 429s and is then learned (a 429 lowers it; it recovers slowly). A 429's <c>Retry-After</c> holds
/// everything back. Without the header (another cloud, an old API) the pacer steps aside and only 429s hold it.
/// </summary>
internal sealed class BudgetPacer : IRequestPacer
{
    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly TaskCompletionSource _firstAnswer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly LearnedRate _rate;
    private long _sent;
    private long _observedSequence = -1;
    private double _level;
    private DateTimeOffset _levelAt;
    private int _capacity = 1;
    private bool _headerless;
    private DateTimeOffset _pausedUntil;

    public BudgetPacer(double ratePerSecond, TimeProvider time)
    {
        _rate = new LearnedRate(ratePerSecond);
        _time = time;
    }

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

    public async ValueTask<PacerTicket> WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task? answer = null;
            lock (_gate)
            {
                var now = _time.GetUtcNow();
                if (now < _pausedUntil)
                {
                    wait = _pausedUntil - now;
                }
                else if (_headerless)
                {
                    return new PacerTicket(_sent++, now);
                }
                else if (_observedSequence < 0)
                {
                    // Nothing known yet: one request probes, the others wait for its answer.
                    if (_sent == 0)
                    {
                        return new PacerTicket(_sent++, now);
                    }

                    answer = _firstAnswer.Task;
                    wait = TimeSpan.Zero;
                }
                else
                {
                    Refill(now);
                    if (_level >= 1)
                    {
                        _level -= 1;
                        return new PacerTicket(_sent++, now);
                    }

                    wait = TimeSpan.FromSeconds((1 - _level) / _rate.PerSecond);
                }
            }

            if (answer is not null)
            {
                await answer.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Observe(PacerTicket ticket, int? remaining)
    {
        lock (_gate)
        {
            if (remaining is not { } left)
            {
                // An answer without the header (a failure, or an endpoint that does not report): only a first one matters.
                if (_observedSequence < 0)
                {
                    _headerless = true;
                    _firstAnswer.TrySetResult();
                }

                return;
            }

            _headerless = false;
            _capacity = Math.Max(_capacity, left + 1);
            if (ticket.Sequence > _observedSequence)
            {
                // The freshest count: what the server had left after this request, less what went after it. Tokens
                // that came back while the answer travelled are not counted: an underestimate the next answer corrects.
                _observedSequence = ticket.Sequence;
                _level = left - (_sent - ticket.Sequence - 1);
                _levelAt = _time.GetUtcNow();
            }

            _rate.Recover();
        }

        _firstAnswer.TrySetResult();
    }

    public void Throttled(PacerTicket ticket, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow() + (retryAfter > TimeSpan.Zero ? retryAfter : TimeSpan.FromSeconds(1));
            _pausedUntil = until > _pausedUntil ? until : _pausedUntil;
            // Empty as of this request (less what went after it); tokens come back from the end of the pause.
            _rate.Lower();
            if (ticket.Sequence >= _observedSequence)
            {
                _observedSequence = ticket.Sequence;
                _level = -(_sent - ticket.Sequence - 1);
                _levelAt = _pausedUntil - TimeSpan.FromSeconds(1 / _rate.PerSecond);
            }
        }

        _firstAnswer.TrySetResult();
    }

    // Tokens come back at the rate, up to what the bucket holds.
    private void Refill(DateTimeOffset now)
    {
        if (now > _levelAt)
        {
            _level = Math.Min(_capacity, _level + ((now - _levelAt).TotalSeconds * _rate.PerSecond));
            _levelAt = now;
        }
    }
}
