using System.Collections;

namespace Compliance.Emulator.Arm;

/// <summary>
/// A list that only grows, in fixed chunks that never move, so that a snapshot of it costs nothing however long it
/// is: a benchmark of 50,000 requests can read <see cref="ArmEmulator.Requests"/> as often as it likes. Appends take a
/// lock; snapshots read what was published before them.
/// </summary>
internal sealed class AppendOnlyLog<T>
{
    private const int ChunkSize = 4096;

    private readonly Lock _lock = new();
    private T[][] _chunks = [new T[ChunkSize]];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Append(T item)
    {
        lock (_lock)
        {
            var chunk = _count / ChunkSize;
            if (chunk == _chunks.Length)
            {
                // Only the directory of chunks is copied, never the items; older snapshots keep the old directory.
                var chunks = new T[_chunks.Length * 2][];
                Array.Copy(_chunks, chunks, _chunks.Length);
                Volatile.Write(ref _chunks, chunks);
            }

            _chunks[chunk] ??= new T[ChunkSize];
            _chunks[chunk][_count % ChunkSize] = item;

            // Publish the item before the count that makes it visible.
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>The items appended so far, oldest first; later appends do not show in it.</summary>
    public IReadOnlyList<T> Snapshot()
    {
        // Count first: every item below it is in a chunk that the directory read afterwards already holds.
        var count = Volatile.Read(ref _count);
        return new View(Volatile.Read(ref _chunks), count);
    }

    private sealed class View(T[][] chunks, int count) : IReadOnlyList<T>
    {
        public int Count => count;

        public T this[int index]
        {
            get
            {
                ArgumentOutOfRangeException.ThrowIfNegative(index);
                ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
                return chunks[index / ChunkSize][index % ChunkSize];
            }
        }

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < count; i++)
            {
                yield return chunks[i / ChunkSize][i % ChunkSize];
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
