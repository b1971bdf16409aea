using Compliance.Core.Inventory;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Storage;

/// <summary>
/// Writes the history entries still pending in resource states to the history, then drops them from the states. The
/// recorder writes an entry into its state before appending it; a process that dies in between leaves the entry there,
/// and only the next write of that state would otherwise write it out, which for a machine nobody checks again may be
/// never. The end of a scan offers every state to a sweep (it reads them all anyway) and a dispatch drops the entries
/// it wrote in the writes that settle the outbox, so such an entry reaches the history without another check of its
/// machine. Until then <see cref="ResourceHistory"/> reads it from the state.
/// </summary>
/// <remarks>
/// Never lost: an entry is dropped only by a conditional write after it was appended. Never twice: the append is
/// idempotent (an entry's key is its resource and time), and a state whose write fails because it changed since it was
/// read keeps whatever it holds now for its next write or sweep. The cost is one history write and one share of a state
/// transaction per change, once: a dropped entry is not swept again.
/// </remarks>
public sealed class PendingHistorySweep
{
    // One state transaction holds 100 rows of a partition; a page of states read at a time is about as many.
    private const int StatesPerFlush = 100;

    private readonly IVerdictStore _verdicts;
    private readonly ILogger _logger;
    private readonly List<StoredState> _waiting = [];

    /// <summary>Creates a sweep that writes through <paramref name="verdicts"/>.</summary>
    public PendingHistorySweep(IVerdictStore verdicts, ILogger logger)
    {
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>How many pending entries this sweep wrote to the history and dropped from their states.</summary>
    public int Moved { get; private set; }

    /// <summary>Takes <paramref name="stored"/> if it holds pending entries; writes them out a hundred states at a time.</summary>
    public async Task OfferAsync(StoredState stored, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (stored.State.PendingHistory.Count == 0)
        {
            return;
        }

        _waiting.Add(stored);
        if (_waiting.Count >= StatesPerFlush)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes out what is left; returns <see cref="Moved"/>.</summary>
    public async Task<int> CompleteAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        return Moved;
    }

    /// <summary>
    /// Appends the pending entries of <paramref name="states"/> to the history; returns the keys of the entries
    /// appended (none when the store failed: they stay pending, and are read from their states meanwhile).
    /// </summary>
    public static async Task<HashSet<(string Partition, long Ticks)>> TryAppendAsync(IVerdictStore verdicts, IReadOnlyList<StoredState> states, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(states);
        ArgumentNullException.ThrowIfNull(logger);
        var entries = states.SelectMany(s => s.State.PendingHistory).ToList();
        if (entries.Count == 0)
        {
            return [];
        }

        try
        {
            await verdicts.AppendHistoryAsync(entries, cancellationToken).ConfigureAwait(false);
            return entries.Select(KeyOf).ToHashSet();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            StorageLog.HistorySweepFailed(logger, entries.Count, ex);
            return [];
        }
    }

    /// <summary><paramref name="pending"/> without the entries in <paramref name="appended"/>.</summary>
    public static IReadOnlyList<HistoryEntry> Unwritten(IReadOnlyList<HistoryEntry> pending, HashSet<(string Partition, long Ticks)> appended)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(appended);
        return pending.Count == 0 || appended.Count == 0 ? pending : pending.Where(e => !appended.Contains(KeyOf(e))).ToList();
    }

    // The entry's identity, as the history keys it.
    private static (string Partition, long Ticks) KeyOf(HistoryEntry entry) =>
        (ResourceKey.HistoryPartitionKey(new ResourceId(entry.ResourceId)), entry.At.UtcTicks);

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_waiting.Count == 0)
        {
            return;
        }

        var states = _waiting.ToList();
        _waiting.Clear();
        var appended = await TryAppendAsync(_verdicts, states, _logger, cancellationToken).ConfigureAwait(false);
        if (appended.Count == 0)
        {
            return;
        }

        var writes = states.Select(s => new StateWrite(s.State with { PendingHistory = Unwritten(s.State.PendingHistory, appended) }, s.ETag)).ToList();
        try
        {
            var results = await _verdicts.WriteStatesAsync(writes, cancellationToken).ConfigureAwait(false);
            var written = results.Where(r => r.Written).Select(r => r.ResourceId).ToHashSet(StringComparer.OrdinalIgnoreCase);
            Moved += states.Where(s => written.Contains(s.State.ResourceId)).Sum(s => s.State.PendingHistory.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The entries are in the history; the states keep them until their next write, which drops them.
            StorageLog.HistorySweepFailed(_logger, appended.Count, ex);
        }
    }
}
