namespace Compliance.Emulator;

/// <summary>
/// A clock that starts at a given instant and runs <see cref="Factor"/> times faster than real time, so that a
/// benchmark can live through an hour of platform time (Run Command latencies, throttling refills,
/// <c>Retry-After</c>) in a minute at factor 60. Its timers fire after their due time and period divided by the
/// factor: <c>Task.Delay(TimeSpan.FromSeconds(60), provider)</c> at factor 600 takes about 0.1 s.
/// </summary>
/// <remarks>
/// Every part that waits must wait on this provider: the emulator does when it is given it as
/// <see cref="ArmEmulatorOptions.TimeProvider"/>; a client that waits on the real clock (the Azure SDK's retry
/// policy, for one) waits <see cref="Factor"/> times longer in platform time.
/// </remarks>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _start;
    private readonly long _realStart;

    /// <summary>Starts the clock.</summary>
    /// <param name="start">The platform time now.</param>
    /// <param name="factor">How many times faster than real time the clock runs; positive and finite (1 is real time).</param>
    /// <param name="realTime">The real clock underneath; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not positive and finite.</exception>
    public ScaledTimeProvider(DateTimeOffset start, double factor, TimeProvider? realTime = null)
    {
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must be positive and finite.");
        }

        _real = realTime ?? System;
        _start = start;
        _realStart = _real.GetTimestamp();
        Factor = factor;
    }

    /// <summary>How many times faster than real time the clock runs.</summary>
    public double Factor { get; }

    /// <summary>Same frequency as the real clock; only the count runs faster.</summary>
    public override long TimestampFrequency => _real.TimestampFrequency;

    /// <summary>The platform time: the start plus <see cref="Factor"/> times the real time elapsed since.</summary>
    public override DateTimeOffset GetUtcNow() => _start + TimeSpan.FromTicks(ScaledTicks());

    /// <summary>A timestamp that advances <see cref="Factor"/> times faster than the real clock's.</summary>
    public override long GetTimestamp() => _realStart + (long)((_real.GetTimestamp() - _realStart) * Factor);

    /// <summary>A timer whose due time and period (platform time) are divided by <see cref="Factor"/> on the real clock.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new ScaledTimer(this, _real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period, isPeriod: true)));
    }

    /// <summary>The real-time span that passes while <paramref name="platform"/> passes on this clock.</summary>
    private TimeSpan ToReal(TimeSpan platform, bool isPeriod = false)
    {
        // Timeout.InfiniteTimeSpan (and any negative value the timer API then rejects) passes through unchanged.
        if (platform <= TimeSpan.Zero)
        {
            return platform;
        }

        var ticks = (long)Math.Ceiling(platform.Ticks / Factor);

        // A period that rounds to 0 ms would turn a periodic timer into a one-shot one.
        return TimeSpan.FromTicks(isPeriod ? Math.Max(ticks, TimeSpan.TicksPerMillisecond) : Math.Max(ticks, 1));
    }

    private long ScaledTicks()
    {
        var elapsed = _real.GetElapsedTime(_realStart);
        return (long)(elapsed.Ticks * Factor);
    }

    private sealed class ScaledTimer(ScaledTimeProvider clock, ITimer real) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) =>
            real.Change(clock.ToReal(dueTime), clock.ToReal(period, isPeriod: true));

        public void Dispose() => real.Dispose();

        public ValueTask DisposeAsync() => real.DisposeAsync();
    }
}
