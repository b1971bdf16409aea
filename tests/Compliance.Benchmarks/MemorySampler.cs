using System.Diagnostics;

namespace Compliance.Benchmarks;

/// <summary>
/// Samples the worker's memory while it scans. The working set holds the runtime and its compiled code, the garbage
/// the collector lets pile up between collections (its budget grows with the allocation rate, not with what is held)
/// and the live objects. What the scanner holds is the last part: once a second a full collection measures it.
/// Those collections cost a few milliseconds each and keep the working set a little lower than it would be.
/// </summary>
internal sealed class MemorySampler : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private const int SamplesPerLiveMeasure = 10;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly TextWriter? _trace;
    private long _peakLive;
    private long _peakWorkingSet;

    public MemorySampler(TextWriter? trace)
    {
        _trace = trace;
        _loop = Task.Run(() => SampleAsync(_stop.Token));
    }

    /// <summary>The most the live objects took at a measuring collection, in bytes.</summary>
    public long PeakLiveBytes => Interlocked.Read(ref _peakLive);

    /// <summary>The largest working set sampled, in bytes.</summary>
    public long PeakWorkingSetBytes => Interlocked.Read(ref _peakWorkingSet);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(Interval);
        var started = Stopwatch.StartNew();
        var sample = 0;
        try
        {
            do
            {
                Sample(process, started.Elapsed, measureLive: sample++ % SamplesPerLiveMeasure == 0);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            Sample(process, started.Elapsed, measureLive: true);
        }
    }

    private void Sample(Process process, TimeSpan at, bool measureLive)
    {
        process.Refresh();
        var workingSet = process.WorkingSet64;
        Raise(ref _peakWorkingSet, workingSet);
        if (!measureLive)
        {
            return;
        }

        var live = GC.GetTotalMemory(forceFullCollection: true);
        Raise(ref _peakLive, live);
        _trace?.WriteLine($"memory t={at.TotalSeconds:0.0}s live={live / 1048576.0:0.0}MB working-set={workingSet / 1048576.0:0.0}MB");
    }

    private static void Raise(ref long peak, long value)
    {
        if (value > Interlocked.Read(ref peak))
        {
            Interlocked.Exchange(ref peak, value);
        }
    }
}
