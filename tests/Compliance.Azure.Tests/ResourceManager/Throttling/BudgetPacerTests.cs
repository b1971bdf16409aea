using Compliance.Azure.ResourceManager.Throttling;
using Microsoft.Extensions.Time.Testing;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

public sealed class BudgetPacerTests
{
    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task WaitAsync_NothingKnown_OneProbesAndItsAnswerReleasesTheBurst()
    {
        var pacer = new BudgetPacer(10, _clock);
        var probe = await pacer.WaitAsync(CancellationToken.None);
        var others = Enumerable.Range(0, 10).Select(_ => pacer.WaitAsync(CancellationToken.None).AsTask()).ToList();
        Assert.All(others, o => Assert.False(o.IsCompleted));

        // The server has 5 tokens left after the probe: 5 go at once, the rest at 10 per second.
        pacer.Observe(probe, 5);

        await EventuallyAsync(() => others.Count(o => o.IsCompleted) >= 5);
        Assert.Equal(5, others.Count(o => o.IsCompleted));
        await _clock.AdvanceInStepsAsync(TimeSpan.FromMilliseconds(250));
        await EventuallyAsync(() => others.Count(o => o.IsCompleted) >= 7);
        Assert.InRange(others.Count(o => o.IsCompleted), 7, 8);
    }

    [Fact]
    public async Task WaitAsync_ProbeGotNoHeader_StepsAside()
    {
        var pacer = new BudgetPacer(10, _clock);
        var probe = await pacer.WaitAsync(CancellationToken.None);
        var waiting = pacer.WaitAsync(CancellationToken.None).AsTask();

        pacer.Observe(probe, null);

        await EventuallyAsync(() => waiting.IsCompleted);
        Assert.True(pacer.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Throttled_HoldsUntilRetryAfterAndLowersTheRate()
    {
        var pacer = new BudgetPacer(10, _clock);
        var probe = await pacer.WaitAsync(CancellationToken.None);
        pacer.Observe(probe, 100);
        var refused = await pacer.WaitAsync(CancellationToken.None);

        pacer.Throttled(refused, TimeSpan.FromSeconds(3));
        var next = pacer.WaitAsync(CancellationToken.None).AsTask();

        await _clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(2.5));
        Assert.False(next.IsCompleted);
        await _clock.AdvanceInStepsAsync(TimeSpan.FromSeconds(1));

        await EventuallyAsync(() => next.IsCompleted);
        Assert.Equal(8, pacer.Rate, precision: 6);
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
