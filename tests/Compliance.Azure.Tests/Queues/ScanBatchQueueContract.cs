using Compliance.Core.Queues;

namespace Compliance.Azure.Tests.Queues;

/// <summary>
/// What every batch queue driver must do, run against the storage queue (Azurite) and the in-memory queue alike, so that
/// the in-memory one, which the CLI without a store and the tests use, behaves as the real one does.
/// </summary>
public abstract class ScanBatchQueueContract
{
    /// <summary>Short, so that the cases that wait for a message to come back stay short; whole seconds, as a storage queue counts.</summary>
    protected static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(1);

    /// <summary>A new, empty queue whose messages hide for <see cref="VisibilityTimeout"/>.</summary>
    protected abstract Task<IScanBatchQueue> CreateAsync();

    /// <summary>The texts in the poison queue of <paramref name="queue"/>.</summary>
    protected abstract Task<IReadOnlyList<string>> PoisonedAsync(IScanBatchQueue queue);

    /// <summary>Lets time pass for the queue.</summary>
    protected abstract Task PassAsync(TimeSpan time);

    [Fact]
    public async Task Receive_HandsEachMessageOnceAndHidesIt()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a", "b", "c"], CancellationToken.None);

        var first = await queue.ReceiveAsync(5, CancellationToken.None);
        var again = await queue.ReceiveAsync(5, CancellationToken.None);

        Assert.Equal(["a", "b", "c"], first.Select(m => m.Text).Order());
        Assert.All(first, m => Assert.Equal(1, m.DequeueCount));
        Assert.Equal(3, first.Select(m => m.MessageId).Distinct().Count());
        Assert.Empty(again);
        Assert.Equal(3, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Receive_TakesNoMoreThanAsked()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a", "b", "c"], CancellationToken.None);

        var two = await queue.ReceiveAsync(2, CancellationToken.None);
        var rest = await queue.ReceiveAsync(2, CancellationToken.None);

        Assert.Equal(2, two.Count);
        Assert.Single(rest);
    }

    [Fact]
    public async Task Delete_RemovesTheMessageForGood_AndTheReceiptThenNoLongerWorks()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a"], CancellationToken.None);
        var message = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        await queue.DeleteAsync(message, CancellationToken.None);
        await PassAsync(VisibilityTimeout * 2);

        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
        Assert.Empty(await queue.ReceiveAsync(1, CancellationToken.None));
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => queue.DeleteAsync(message, CancellationToken.None));
    }

    [Fact]
    public async Task AMessageNotDeleted_ComesBackAfterItsTimeout_CountingTheDelivery_AndTheOldReceiptIsVoid()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a"], CancellationToken.None);
        var first = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        await PassAsync(VisibilityTimeout * 2);
        var second = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal("a", second.Text);
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => queue.DeleteAsync(first, CancellationToken.None));
        await Assert.ThrowsAsync<QueueMessageGoneException>(() => queue.HideAsync(first, TimeSpan.Zero, CancellationToken.None));
        await queue.DeleteAsync(second, CancellationToken.None);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Hide_KeepsTheMessageHiddenLonger_WithANewReceipt()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a"], CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        var held = await queue.HideAsync(received, TimeSpan.FromSeconds(30), CancellationToken.None);
        await PassAsync(VisibilityTimeout * 2);

        Assert.Empty(await queue.ReceiveAsync(1, CancellationToken.None));
        Assert.NotEqual(received.Receipt, held.Receipt);
        await queue.DeleteAsync(held, CancellationToken.None);
        Assert.Equal(0, await queue.CountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Hide_ForNoTime_GivesTheMessageBackAtOnce()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["a"], CancellationToken.None);
        var received = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        await queue.HideAsync(received, TimeSpan.Zero, CancellationToken.None);
        var again = Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None));

        Assert.Equal(2, again.DequeueCount);
    }

    [Fact]
    public async Task Poison_MovesTheTextToThePoisonQueue_AndOutOfTheQueue()
    {
        var queue = await CreateAsync();
        await queue.SendAsync(["keep", "bad"], CancellationToken.None);
        var bad = (await queue.ReceiveAsync(2, CancellationToken.None)).Single(m => m.Text == "bad");

        await queue.PoisonAsync(bad, CancellationToken.None);
        await PassAsync(VisibilityTimeout * 2);

        Assert.Equal(["bad"], await PoisonedAsync(queue));
        Assert.Equal(1, await queue.CountAsync(CancellationToken.None));
        Assert.Equal("keep", Assert.Single(await queue.ReceiveAsync(5, CancellationToken.None)).Text);
    }

    [Fact]
    public async Task Text_ComesBackExactly_WhateverItHolds()
    {
        var queue = await CreateAsync();
        const string text = "{\"scanId\":\"<s&'>\",\"name\":\"vm-é-日本-\\u0000-%2F\"}\r\n ";

        await queue.SendAsync([text], CancellationToken.None);

        Assert.Equal(text, Assert.Single(await queue.ReceiveAsync(1, CancellationToken.None)).Text);
    }
}
