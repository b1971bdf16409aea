namespace Compliance.Core.Scanning;

/// <summary>Counts a scan's progress as it goes and reports each change: resources listed, resources judged.</summary>
internal sealed class ScanCounters(IProgress<ScanProgress>? progress)
{
    private int _discovered;
    private int _completed;
    private int _inventoryComplete;

    public void Discovered() => Report(Interlocked.Increment(ref _discovered), Volatile.Read(ref _completed));

    public void Completed(int count) => Report(Volatile.Read(ref _discovered), Interlocked.Add(ref _completed, count));

    public void InventoryDone()
    {
        Interlocked.Exchange(ref _inventoryComplete, 1);
        Report(Volatile.Read(ref _discovered), Volatile.Read(ref _completed));
    }

    private void Report(int discovered, int completed) =>
        progress?.Report(new ScanProgress(discovered, completed, Volatile.Read(ref _inventoryComplete) == 1));
}
