namespace Compliance.Core.Scanning;

/// <summary>
/// The place of the check running on this async flow in its scan: a batch sets it for each machine it checks, and
/// rate-limited adapters serve earlier places first. Without an order, every batch running at once would get an equal
/// share of the rate limit, finish at the same moment, and leave the limit idle while all of them wait for their last
/// Run Commands; in order, batches finish one after another and the next ones use what the finishing ones leave.
/// </summary>
public static class CheckOrder
{
    private static readonly AsyncLocal<long?> _current = new();

    /// <summary>The place of the current check; <see langword="null"/> outside a batch (served first).</summary>
    public static long? Current => _current.Value;

    /// <summary>The place of machine <paramref name="index"/> of batch <paramref name="batchIndex"/>.</summary>
    public static long Of(int batchIndex, int index) => ((long)batchIndex << 32) | (uint)index;

    /// <summary>Sets the place for the rest of the calling async flow; disposing restores the one before.</summary>
    public static IDisposable Begin(long place)
    {
        var previous = _current.Value;
        _current.Value = place;
        return new Scope(previous);
    }

    private sealed class Scope(long? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }
}
