using System.Runtime.CompilerServices;

namespace Compliance.Core.Storage;

/// <summary>
/// A resource's history as every reader sees it: the entries written to the history and those still pending in the
/// resource's state. The recorder writes an entry into the state before appending it, so a process that dies in
/// between leaves the entry only in the state, where it stays until something writes it out (the next write of that
/// state, the end of a scan, a dispatch that settles the state, the state's deletion). Reading both is what makes the
/// history complete at every moment without a second check of the machine; an entry in both places is one entry (its
/// identity is its resource and time, as in the history's keys), so none appears twice.
/// </summary>
public static class ResourceHistory
{
    /// <summary>
    /// Merges <paramref name="pending"/> (the entries in the resource's state) into <paramref name="written"/> (the
    /// history, newest first), newest first, each time once; where both hold an entry the written one is kept.
    /// </summary>
    /// <remarks>
    /// Read the state before the history: an entry dropped from the state after that read was appended before it was
    /// dropped, so the history read afterwards holds it. Read the other way round, an entry appended and dropped
    /// between the two reads would be in neither.
    /// </remarks>
    public static async IAsyncEnumerable<HistoryEntry> MergeAsync(IReadOnlyList<HistoryEntry> pending, IAsyncEnumerable<HistoryEntry> written, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(written);
        var waiting = new Queue<HistoryEntry>(pending.DistinctBy(e => e.At.UtcTicks).OrderByDescending(e => e.At.UtcTicks));
        await foreach (var entry in written.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            while (waiting.TryPeek(out var next) && next.At.UtcTicks >= entry.At.UtcTicks)
            {
                waiting.Dequeue();
                if (next.At.UtcTicks > entry.At.UtcTicks)
                {
                    yield return next;
                }
            }

            yield return entry;
        }

        while (waiting.TryDequeue(out var rest))
        {
            yield return rest;
        }
    }
}
