namespace Compliance.Emulator.Arm;

/// <summary>
/// Picks the requests that fail or answer slowly (<see cref="FaultOptions"/>), from a seeded sequence: the n-th
/// request asked about always gets the same verdict for the same seed.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private readonly Random _random;
    private readonly double _errorRate;
    private readonly double _unavailableShare;
    private readonly TimeSpan _unavailableRetryAfter;
    private readonly double _slowRate;
    private readonly TimeSpan _slowDelay;
    private int _faults;
    private int _delays;

    public FaultInjector(FaultOptions options)
    {
        // Copied: the options object may change after the start without affecting the running emulator.
        _random = new Random(options.Seed);
        _errorRate = options.ErrorRate;
        _unavailableShare = options.UnavailableShare;
        _unavailableRetryAfter = options.UnavailableRetryAfter;
        _slowRate = options.SlowRate;
        _slowDelay = options.SlowDelay;
    }

    public int Faults => Volatile.Read(ref _faults);

    public int Delays => Volatile.Read(ref _delays);

    public FaultVerdict Next()
    {
        double error, kind, slow;
        lock (_lock)
        {
            // Always three draws, so that one request's verdict never shifts the next one's.
            error = _random.NextDouble();
            kind = _random.NextDouble();
            slow = _random.NextDouble();
        }

        var delay = slow < _slowRate ? _slowDelay : TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _delays);
        }

        if (error >= _errorRate)
        {
            return new FaultVerdict(delay, null, TimeSpan.Zero);
        }

        Interlocked.Increment(ref _faults);
        return kind < _unavailableShare
            ? new FaultVerdict(delay, ArmError.ServiceUnavailable(), _unavailableRetryAfter)
            : new FaultVerdict(delay, ArmError.InternalServerError(), TimeSpan.Zero);
    }
}
