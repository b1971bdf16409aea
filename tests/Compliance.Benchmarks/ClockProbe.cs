namespace Compliance.Benchmarks;

/// <summary>
/// Measures whether this process keeps the platform clock. A <see cref="Emulator.ScaledTimeProvider"/> runs its timers
/// on the real clock, divided by its factor; when the process cannot keep up (too little CPU for the emulator, Azurite
/// and the scanner at that speed), timers fire late and every wait the scanner makes (pacing, <c>Retry-After</c>, the
/// Run Command polls) lasts longer in platform time than it asked for, so the harness, not the scanner, sets the wall
/// time. The probe waits one platform second after another on the clock, as the scanner's waits do, and records how
/// much later than asked each wake-up came, in platform seconds.
/// </summary>
internal sealed class ClockProbe : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _clock;
    private readonly Lock _lock = new();
    private readonly List<(DateTimeOffset At, double LateSeconds)> _wakeUps = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ClockProbe(TimeProvider clock)
    {
        _clock = clock;
        _loop = Task.Run(() => ProbeAsync(_stop.Token));
    }

    /// <summary>The lateness of the wake-ups between <paramref name="from"/> and <paramref name="to"/> (platform time).</summary>
    public ClockLateness Lateness(DateTimeOffset from, DateTimeOffset to)
    {
        lock (_lock)
        {
            return ClockLateness.Of(_wakeUps.Where(w => w.At >= from && w.At <= to).Select(w => w.LateSeconds));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var asked = _clock.GetTimestamp();
                await Task.Delay(Interval, _clock, cancellationToken).ConfigureAwait(false);

                // The timer queue counts whole milliseconds, so a wake-up can come up to a real millisecond early:
                // that is not lateness.
                var late = Math.Max(0, (_clock.GetElapsedTime(asked) - Interval).TotalSeconds);
                lock (_lock)
                {
                    _wakeUps.Add((_clock.GetUtcNow(), late));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the run is over.
        }
    }
}
