using Compliance.Emulator.Arm;

namespace Compliance.Emulator.Tests;

public sealed class TokenBucketTests
{
    private static readonly DateTimeOffset _start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Take_WholeBurst_LeavesNoTokenAndWaitsOneRefillStep()
    {
        var bucket = new TokenBucket(TokenBucketLimit.PerMinute(12, 4), _start);

        for (var i = 0; i < 12; i++)
        {
            Assert.True(bucket.HasToken);
            bucket.Take();
        }

        Assert.False(bucket.HasToken);
        Assert.Equal(0, bucket.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(15), bucket.UntilToken);
    }

    [Fact]
    public void Refill_FourPerMinute_GivesATokenAfterExactlyFifteenSeconds()
    {
        var bucket = new TokenBucket(TokenBucketLimit.PerMinute(1, 4), _start);
        bucket.Take();

        bucket.Refill(_start + TimeSpan.FromSeconds(15) - TimeSpan.FromTicks(1));
        var justBefore = (bucket.HasToken, bucket.UntilToken);
        bucket.Refill(_start + TimeSpan.FromSeconds(15));

        Assert.Equal((false, TimeSpan.FromTicks(1)), justBefore);
        Assert.True(bucket.HasToken);
    }

    [Fact]
    public void Refill_LongIdle_StopsAtCapacityWithoutOverflow()
    {
        var bucket = new TokenBucket(new TokenBucketLimit(1_000_000, 1_000_000, TimeSpan.FromDays(1)), _start);
        bucket.Take();

        bucket.Refill(_start + TimeSpan.FromDays(3650));

        Assert.Equal(1_000_000, bucket.Remaining);
    }

    [Fact]
    public void Refill_ClockSteppingBack_AddsNothing()
    {
        var bucket = new TokenBucket(TokenBucketLimit.PerSecond(2, 1), _start);
        bucket.Take();
        bucket.Take();

        bucket.Refill(_start - TimeSpan.FromHours(1));
        bucket.Refill(_start + TimeSpan.FromMilliseconds(500));

        Assert.Equal(0, bucket.Remaining);
        Assert.Equal(TimeSpan.FromMilliseconds(500), bucket.UntilToken);
    }

    [Fact]
    public void Refuse_InARow_CountsUntilTheNextTake()
    {
        var bucket = new TokenBucket(TokenBucketLimit.PerSecond(1, 1), _start);
        bucket.Take();
        bucket.Refuse();
        bucket.Refuse();
        var refused = bucket.RefusedInARow;

        bucket.Refill(_start + TimeSpan.FromSeconds(1));
        bucket.Take();

        Assert.Equal(2, refused);
        Assert.Equal(0, bucket.RefusedInARow);
    }
}
