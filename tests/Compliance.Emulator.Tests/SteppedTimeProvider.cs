namespace Compliance.Emulator.Tests;

/// <summary>
/// A real-time clock for <see cref="ScaledTimeProvider"/> to run on that moves only when a test says so, and that
/// records the timers created on it.
/// </summary>
internal sealed class SteppedTimeProvider : TimeProvider
{
    private long _timestamp = 1_000_000;

    public List<(TimeSpan DueTime, TimeSpan Period)> Timers { get; } = [];

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _timestamp);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _timestamp, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordedTimer(this);
        timer.Change(dueTime, period);
        return timer;
    }

    private sealed class RecordedTimer(SteppedTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Timers.Add((dueTime, period));
            return true;
        }

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
