using Compliance.Azure.ResourceManager.Throttling;

namespace Compliance.Azure.Tests.ResourceManager.Throttling;

public sealed class PriorityTurnstileTests
{
    [Fact]
    public async Task EnterAsync_Waiting_TakeTurnsByPriorityThenArrival()
    {
        var turnstile = new PriorityTurnstile();
        await turnstile.EnterAsync(0, CancellationToken.None);
        var order = new List<string>();
        var waiting = new[] { ("late batch", 5L), ("early batch, first", 1L), ("outside a batch", long.MinValue), ("early batch, second", 1L) }
            .Select(async w =>
            {
                await turnstile.EnterAsync(w.Item2, CancellationToken.None);
                lock (order)
                {
                    order.Add(w.Item1);
                }

                turnstile.Exit();
            })
            .ToList();

        Assert.Equal(4, turnstile.Waiting);
        turnstile.Exit();
        await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["outside a batch", "early batch, first", "early batch, second", "late batch"], order);
    }

    [Fact]
    public async Task EnterAsync_CancelledWaiter_IsSkippedAndTheTurnGoesOn()
    {
        var turnstile = new PriorityTurnstile();
        await turnstile.EnterAsync(0, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = turnstile.EnterAsync(1, cancel.Token).AsTask();
        var next = turnstile.EnterAsync(2, CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        turnstile.Exit();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await next.WaitAsync(TimeSpan.FromSeconds(10));
        turnstile.Exit();
        await turnstile.EnterAsync(3, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
