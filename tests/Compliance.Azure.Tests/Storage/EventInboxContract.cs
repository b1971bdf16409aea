using Compliance.Core.Storage;

namespace Compliance.Azure.Tests.Storage;

/// <summary>
/// What every <see cref="IEventInbox"/> does, run against the Table store on Azurite and against the one in memory, so
/// that the tests that use the one in memory see what production sees.
/// </summary>
public abstract class EventInboxContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 8, 30, 15, 123, TimeSpan.Zero);

    /// <summary>The inbox under test; every instance it returns sees the same data.</summary>
    protected abstract IEventInbox Inbox { get; }

    [Theory]
    [InlineData("5e2d7a3c-0f4b-4b8e-9a51-1d2c3b4a5f60")]
    [InlineData("a/b/c")]
    [InlineData("a#b")]
    [InlineData("a?b=c&d")]
    [InlineData("a\\b")]
    [InlineData("it's")]
    [InlineData("say \"hi\"")]
    [InlineData("' or PartitionKey ne '")]
    [InlineData("tab\there")]
    [InlineData("%2F and %23")]
    [InlineData("ünïcødé-事件-🙂")]
    [InlineData(":!2F")]
    public async Task Events_AnyId_IsRememberedOnceMarked(string eventId)
    {
        Assert.False(await Inbox.IsEventHandledAsync(eventId, CancellationToken.None));

        await Inbox.MarkEventHandledAsync(eventId, _t0, CancellationToken.None);
        await Inbox.MarkEventHandledAsync(eventId, _t0.AddMinutes(1), CancellationToken.None);

        Assert.True(await Inbox.IsEventHandledAsync(eventId, CancellationToken.None));
    }

    [Fact]
    public async Task Events_OnlyTheMarkedIdCounts()
    {
        await Inbox.MarkEventHandledAsync("evt-1", _t0, CancellationToken.None);
        await Inbox.MarkEventHandledAsync("a/b", _t0, CancellationToken.None);

        Assert.True(await Inbox.IsEventHandledAsync("evt-1", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("EVT-1", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("evt-10", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("evt-", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("a:b", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("a!2Fb", CancellationToken.None));
        Assert.True(await Inbox.IsEventHandledAsync("a/b", CancellationToken.None));
    }

    [Fact]
    public async Task Prune_ForgetsOnlyEventsHandledBeforeTheCutoff()
    {
        await Inbox.MarkEventHandledAsync("old-1", _t0, CancellationToken.None);
        await Inbox.MarkEventHandledAsync("old/2", _t0.AddDays(1), CancellationToken.None);
        await Inbox.MarkEventHandledAsync("new", _t0.AddDays(31), CancellationToken.None);

        var removed = await Inbox.PruneAsync(_t0.AddDays(30), CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.False(await Inbox.IsEventHandledAsync("old-1", CancellationToken.None));
        Assert.False(await Inbox.IsEventHandledAsync("old/2", CancellationToken.None));
        Assert.True(await Inbox.IsEventHandledAsync("new", CancellationToken.None));
        Assert.Equal(0, await Inbox.PruneAsync(_t0.AddDays(30), CancellationToken.None));
    }
}
