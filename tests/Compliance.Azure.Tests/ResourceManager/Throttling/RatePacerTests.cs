using Compliance.Azure.ResourceManager.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

public sealed class RatePacerTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void WaitAsync_PlentyLeft_GoesAtOnce()
    {
        var pacer = new RatePacer(10, _clock);
        pacer.Observe(150);

        for (var i = 0; i < 100; i++)
        {
            Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.False(pacer.IsPaced);
    }

    [Fact]
    public async Task WaitAsync_BucketNearlyEmpty_ReleasesAtTheRefillRate()
    {
        var pacer = new RatePacer(10, _clock);
        pacer.Observe(1);

        Assert.True(pacer.IsPaced);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        var waiting = Enumerable.Range(0, 20).Select(_ => pacer.WaitAsync(CancellationToken.None).AsTask()).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // Ten per second: after one second ten more have gone, not all twenty.
        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => waiting.Count(w => w.IsCompleted) >= 9);
        Assert.InRange(waiting.Count(w => w.IsCompleted), 9, 10);

        await AdvanceAsync(TimeSpan.FromSeconds(1));
        await EventuallyAsync(() => waiting.Count(w => w.IsCompleted) >= 19);
    }

    [Fact]
    public async Task Throttled_HoldsEverythingUntilRetryAfterThenPaces()
    {
        var pacer = new RatePacer(10, _clock);

        pacer.Throttled(TimeSpan.FromSeconds(5));
        var first = pacer.WaitAsync(CancellationToken.None).AsTask();
        var second = pacer.WaitAsync(CancellationToken.None).AsTask();

        await AdvanceAsync(TimeSpan.FromSeconds(4.9));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        // After the pause tokens come back at the lowered rate (8/s): one waiter goes after 1/8 s, the other after 2/8 s.
        // Which one goes first is not promised: both wake at the same instant and the clock fires them in either order.
        var waiters = new[] { first, second };
        await AdvanceAsync(TimeSpan.FromSeconds(0.1 + 0.15));
        await EventuallyAsync(() => waiters.Any(w => w.IsCompleted));
        _ = Assert.Single(waiters, w => w.IsCompleted);
        await AdvanceAsync(TimeSpan.FromSeconds(0.15));
        await EventuallyAsync(() => waiters.All(w => w.IsCompleted));
        Assert.Equal(8, pacer.Rate, precision: 6);
    }

    [Fact]
    public void Observe_PlentyAgain_StopsPacing()
    {
        var pacer = new RatePacer(10, _clock);
        pacer.Observe(0);
        Assert.True(pacer.IsPaced);

        pacer.Observe(150);

        Assert.False(pacer.IsPaced);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void Observe_AfterThrottle_RateRecoversTowardsThePrior()
    {
        var pacer = new RatePacer(10, _clock);
        pacer.Throttled(TimeSpan.FromSeconds(1));
        Assert.Equal(8, pacer.Rate, precision: 6);

        for (var i = 0; i < 100; i++)
        {
            pacer.Observe(50);
        }

        Assert.Equal(10, pacer.Rate, precision: 6);
    }

    // Slowness can only delay completions, never add them: upper bounds are asserted at once, lower ones eventually.
    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }

    private Task AdvanceAsync(TimeSpan by) => _clock.AdvanceInStepsAsync(by);
}
