using Compliance.Emulator.Arm;

namespace Compliance.Emulator.Tests;

public sealed class AppendOnlyLogTests
{
    [Fact]
    public void Snapshot_FiftyThousandItems_IndexesAndEnumeratesAcrossChunks()
    {
        var log = new AppendOnlyLog<int>();
        for (var i = 0; i < 50_000; i++)
        {
            log.Append(i);
        }

        var snapshot = log.Snapshot();

        Assert.Equal(50_000, snapshot.Count);
        Assert.Equal(4095, snapshot[4095]);
        Assert.Equal(4096, snapshot[4096]);
        Assert.Equal(49_999, snapshot[^1]);
        Assert.Equal(Enumerable.Range(0, 50_000), snapshot);
        Assert.Throws<ArgumentOutOfRangeException>(() => snapshot[50_000]);
    }

    [Fact]
    public void Snapshot_LaterAppends_DoNotShowInIt()
    {
        var log = new AppendOnlyLog<string>();
        log.Append("a");
        var before = log.Snapshot();

        for (var i = 0; i < 10_000; i++)
        {
            log.Append("b");
        }

        Assert.Equal(["a"], before);
        Assert.Equal(10_001, log.Count);
    }

    [Fact]
    public async Task Append_FromManyThreads_KeepsEveryItem()
    {
        var log = new AppendOnlyLog<int>();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                log.Append((t * 10_000) + i);
                _ = log.Snapshot().Count;
            }
        })));

        Assert.Equal(Enumerable.Range(0, 40_000), log.Snapshot().Order());
    }
}
