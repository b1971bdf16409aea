using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Emulator.Tests;

public sealed class ScaledTimeProviderTests
{
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void GetUtcNow_RealTimeAdvances_AdvancesFactorTimesAsMuch()
    {
        var real = new FakeTimeProvider();
        var clock = new ScaledTimeProvider(_start, 600, real);

        var atStart = clock.GetUtcNow();
        var timestamp = clock.GetTimestamp();
        real.Advance(TimeSpan.FromMilliseconds(100));

        Assert.Equal(_start, atStart);
        Assert.Equal(_start + TimeSpan.FromSeconds(60), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(60), clock.GetElapsedTime(timestamp));
        Assert.Equal(real.TimestampFrequency, clock.TimestampFrequency);
        Assert.Equal(600, clock.Factor);
    }

    [Fact]
    public void CreateTimer_DueTimeAndPeriod_AreDividedByTheFactorOnTheRealClock()
    {
        var real = new FakeTimeProvider();
        var clock = new ScaledTimeProvider(_start, 600, real);
        var fired = 0;

        // 60 platform seconds are 100 real milliseconds, and a 10-minute period is a real second.
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(10));
        var counts = new List<int>();
        foreach (var step in new[] { 99, 1, 999, 1 })
        {
            real.Advance(TimeSpan.FromMilliseconds(step));
            counts.Add(fired);
        }

        Assert.Equal([0, 1, 1, 2], counts);

        // Infinite stays infinite: the timer stops.
        timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        real.Advance(TimeSpan.FromHours(1));
        Assert.Equal(2, fired);

        // A due time of zero fires at once, and a period below a real millisecond becomes one millisecond (the system
        // timer would take a 0 ms period for a one-shot timer).
        timer.Change(TimeSpan.Zero, TimeSpan.FromTicks(1));
        Assert.Equal(3, fired);
        real.Advance(TimeSpan.FromMilliseconds(1));
        real.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(5, fired);
    }

    [Fact]
    public async Task Delay_SixtyPlatformSecondsAtFactor600_TakesAboutATenthOfASecond()
    {
        var clock = new ScaledTimeProvider(_start, 600);
        var stopwatch = Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromSeconds(60), clock);

        stopwatch.Stop();
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(90), TimeSpan.FromSeconds(3));
        Assert.True(clock.GetUtcNow() - _start >= TimeSpan.FromSeconds(54));
    }

    [Fact]
    public async Task GetUtcNow_OnTheRealClock_RunsAboutFactorTimesFaster()
    {
        var outer = Stopwatch.StartNew();
        var clock = new ScaledTimeProvider(_start, 60);
        var inner = Stopwatch.StartNew();

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        var least = inner.Elapsed;
        var platform = clock.GetUtcNow() - _start;
        var most = outer.Elapsed;

        // The real time since the clock started lies between the two stopwatches; a millisecond covers rounding.
        Assert.InRange(platform, (least * 60) - TimeSpan.FromMilliseconds(1), (most * 60) + TimeSpan.FromMilliseconds(1));
        Assert.True(platform >= TimeSpan.FromSeconds(10), $"Only {platform} passed.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_FactorNotPositiveAndFinite_Throws(double factor)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScaledTimeProvider(_start, factor));
    }

    [Fact]
    public async Task Emulator_OnScaledClock_RunCommandOfTwentyPlatformSecondsEndsWhenItsRetryAfterHasPassed()
    {
        var clock = new ScaledTimeProvider(_start, 400);
        var options = new ArmEmulatorOptions { TimeProvider = clock, RunCommandLatency = TimeSpan.FromSeconds(20), Limits = new RateLimitOptions() };
        await using var emulator = await ArmEmulator.StartAsync(RequestThrottleTests.Fleet(), options);
        using var http = new ArmHttp(emulator);

        var accepted = await http.RunCommandAsync(ArmHttp.VmPath("vm-a"));
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(long.Parse(accepted.Header("retry-after-ms")!, System.Globalization.CultureInfo.InvariantCulture)), clock);
        var result = await http.GetAsync(accepted.Header("Location")!);
        stopwatch.Stop();

        Assert.Equal(202, accepted.Status);
        Assert.InRange(int.Parse(accepted.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 19, 20);
        Assert.Equal(200, result.Status);
        Assert.Contains("ComponentStatus/StdOut/succeeded", result.Body, StringComparison.Ordinal);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(5));
    }
}
