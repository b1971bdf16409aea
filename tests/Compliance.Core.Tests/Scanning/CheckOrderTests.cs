using Compliance.Core.Scanning;

namespace Compliance.Core.Tests.Scanning;

public sealed class CheckOrderTests
{
    [Fact]
    public void Of_EarlierBatchesComeFirstWhateverTheirSize()
    {
        Assert.True(CheckOrder.Of(0, 499) < CheckOrder.Of(1, 0));
        Assert.True(CheckOrder.Of(1, 0) < CheckOrder.Of(1, 1));
        Assert.True(CheckOrder.Of(7, int.MaxValue) < CheckOrder.Of(8, 0));
    }

    [Fact]
    public async Task Begin_HoldsForTheAsyncFlowAndDisposeRestores()
    {
        Assert.Null(CheckOrder.Current);
        long? seenInside;
        using (CheckOrder.Begin(42))
        {
            seenInside = await Task.Run(async () =>
            {
                await Task.Yield();
                return CheckOrder.Current;
            });
            using (CheckOrder.Begin(7))
            {
                Assert.Equal(7, CheckOrder.Current);
            }

            Assert.Equal(42, CheckOrder.Current);
        }

        Assert.Equal(42, seenInside);
        Assert.Null(CheckOrder.Current);
    }
}
