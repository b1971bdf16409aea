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
    private readonly double _resetRate;
    private readonly double _resetAfterShare;
    private readonly double _slowRate;
    private readonly TimeSpan _slowDelay;
    private int _faults;
    private int _delays;
    private int _resets;

    public FaultInjector(FaultOptions options)
    {
        // Copied: the options object may change after the start without affecting the running emulator.
        _random = new Random(options.Seed);
        _errorRate = options.ErrorRate;
        _unavailableShare = options.UnavailableShare;
        _unavailableRetryAfter = options.UnavailableRetryAfter;
        _resetRate = options.ResetRate;
        _resetAfterShare = options.ResetAfterProcessingShare;
        _slowRate = options.SlowRate;
        _slowDelay = options.SlowDelay;
    }

    public int Faults => Volatile.Read(ref _faults);

    public int Delays => Volatile.Read(ref _delays);

    public int Resets => Volatile.Read(ref _resets);

    public FaultVerdict Next()
    {
        double error, kind, slow, resetKind;
        lock (_lock)
        {
            // Always four draws, so that one request's verdict never shifts the next one's.
            error = _random.NextDouble();
            kind = _random.NextDouble();
            slow = _random.NextDouble();
            resetKind = _random.NextDouble();
        }

        var delay = slow < _slowRate ? _slowDelay : TimeSpan.Zero;
        if (delay > TimeSpan.Zero)
        {
            Interlocked.Increment(ref _delays);
        }

        // One draw decides between an error, a reset and neither, so the two rates never overlap.
        if (error >= _errorRate + _resetRate)
        {
            return new FaultVerdict(delay, null, TimeSpan.Zero);
        }

        if (error >= _errorRate)
        {
            Interlocked.Increment(ref _resets);
            var reset = resetKind < _resetAfterShare ? ConnectionReset.AfterProcessing : ConnectionReset.BeforeProcessing;
            return new FaultVerdict(delay, null, TimeSpan.Zero, reset);
        }

        Interlocked.Increment(ref _faults);
        return kind < _unavailableShare
            ? new FaultVerdict(delay, ArmError.ServiceUnavailable(), _unavailableRetryAfter)
            : new FaultVerdict(delay, ArmError.InternalServerError(), TimeSpan.Zero);
    }
}
