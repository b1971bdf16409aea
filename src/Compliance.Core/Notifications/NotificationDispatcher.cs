using Compliance.Core.Exemptions;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Notifications;

/// <summary>
/// Delivers the outbox: every notification still pending for a sink, a page of machines at a time (oldest first within
/// the page) and then the scan digests, and removes what each sink accepted (a conditional write of the state, re-read
/// on a conflict). A sink that fails keeps its messages, and those after them, for the next dispatch; nothing is lost. A message is removed only after its sink accepted it, so a crash between the two
/// can deliver it again, with the same id. Dispatches take turns (a lease in the store, <see cref="LeaseName"/>,
/// renewed while delivering), so two batches or instances finishing at the same moment never send the same message
/// twice, and a process that dies while delivering holds up the next one for <see cref="NotificationOptions.DispatchLease"/> at most.
/// </summary>
public sealed class NotificationDispatcher
{
    private const int BatchSize = 100;
    private const int StatesPerPage = 500;
    private const int MaxAttempts = 5;

    /// <summary>The name of the lease a dispatch holds while it delivers.</summary>
    public const string LeaseName = "notification-dispatch";

    private static readonly TimeSpan TurnPoll = TimeSpan.FromMilliseconds(250);

    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly ILeaseStore _leases;
    private readonly IReadOnlyList<INotificationSink> _sinks;
    private readonly HashSet<string> _configured;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<NotificationDispatcher> _logger;
    private readonly TimeSpan _leaseDuration;
    private readonly IExemptionStore? _exemptions;

    /// <summary>Creates a dispatcher over the configured sinks; <paramref name="options"/> gives the lease its length.</summary>
    public NotificationDispatcher(
        IVerdictStore verdicts,
        IScanLedger ledger,
        ILeaseStore leases,
        IEnumerable<INotificationSink> sinks,
        TimeProvider timeProvider,
        ILogger<NotificationDispatcher> logger,
        IOptions<NotificationOptions>? options = null,
        IExemptionStore? exemptions = null)
    {
        _exemptions = exemptions;
        ArgumentNullException.ThrowIfNull(sinks);
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _leases = leases ?? throw new ArgumentNullException(nameof(leases));
        _sinks = sinks.ToList();
        _configured = _sinks.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _leaseDuration = (options?.Value ?? new NotificationOptions()).DispatchLease;
    }

    /// <summary>Delivers what is pending, waiting for its turn when another dispatch is under way.</summary>
    public Task<DispatchOutcome> DispatchAsync(CancellationToken cancellationToken) => DispatchAsync(waitForTurn: true, cancellationToken);

    /// <summary>
    /// Delivers what is pending. With <paramref name="waitForTurn"/> <see langword="false"/> it returns at once, having
    /// sent nothing, when another dispatch holds the turn: that one, or the next, delivers what is pending.
    /// </summary>
    public async Task<DispatchOutcome> DispatchAsync(bool waitForTurn, CancellationToken cancellationToken)
    {
        StoreLease? lease;
        while ((lease = await _leases.TryAcquireLeaseAsync(LeaseName, _timeProvider.GetUtcNow(), _timeProvider.GetUtcNow() + _leaseDuration, cancellationToken).ConfigureAwait(false)) is null)
        {
            if (!waitForTurn)
            {
                return new DispatchOutcome(0, 0);
            }

            await Task.Delay(TurnPoll, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var tally = new Tally();
        using var lost = new CancellationTokenSource();
        using var delivering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lost.Token);
        using var done = new CancellationTokenSource();
        var renewal = RenewAsync(lease, lost, done.Token);
        try
        {
            await DeliverAsync(tally, delivering.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lost.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Another dispatch holds the turn now and delivers what is left; a message this one sent but had not yet
            // settled goes again, with the same id, as after a crash.
            NotificationLog.TurnLost(_logger, tally.Delivered);
        }
        finally
        {
            await done.CancelAsync().ConfigureAwait(false);
            // Given back even when cancelled: the next dispatch should not wait out the lease.
            if (await renewal.ConfigureAwait(false) is { } held)
            {
                await _leases.ReleaseLeaseAsync(held, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new DispatchOutcome(tally.Delivered, tally.Waiting);
    }

    /// <summary>
    /// Renews the lease every third of its length until <paramref name="done"/>; returns the lease as last renewed, or
    /// <see langword="null"/> after cancelling <paramref name="lost"/> when it was taken over.
    /// </summary>
    private async Task<StoreLease?> RenewAsync(StoreLease lease, CancellationTokenSource lost, CancellationToken done)
    {
        var interval = _leaseDuration / 3;
        while (true)
        {
            try
            {
                await Task.Delay(interval, _timeProvider, done).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return lease;
            }

            StoreLease? renewed;
            try
            {
                // Not cancelled half way: a renewal the store made must be known, or the release would miss it.
                renewed = await _leases.RenewLeaseAsync(lease, _timeProvider.GetUtcNow() + _leaseDuration, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The store did not answer: the lease still has two thirds of its time; try again.
                NotificationLog.TurnRenewalFailed(_logger, interval, ex);
                continue;
            }

            if (renewed is null)
            {
                await lost.CancelAsync().ConfigureAwait(false);
                return null;
            }

            lease = renewed;
        }
    }

    private async Task DeliverAsync(Tally tally, CancellationToken cancellationToken)
    {
        // Page by page, so that a dispatch holds a page of states and not every state with something to send.
        var page = new List<StoredState>(StatesPerPage);
        await foreach (var state in _verdicts.QueryStatesAsync(new StateQuery { OnlyWithOutbox = true }, cancellationToken).ConfigureAwait(false))
        {
            page.Add(state);
            if (page.Count == StatesPerPage)
            {
                await DeliverPageAsync(page, tally, cancellationToken).ConfigureAwait(false);
                page.Clear();
            }
        }

        await DeliverPageAsync(page, tally, cancellationToken).ConfigureAwait(false);

        // Scan digests last: a scan's digest sums up what its machines' messages said.
        var scans = new List<(ScanRecord Scan, PendingNotification Digest)>();
        await foreach (var scan in _ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            if (scan.Digest is { } digest)
            {
                scans.Add((scan, digest));
            }
        }

        var settled = await PublishAsync(scans.Select(s => s.Digest).OrderBy(p => p.Message.Time).ToList(), tally, cancellationToken).ConfigureAwait(false);
        foreach (var (scan, digest) in scans)
        {
            var remaining = Remaining(digest, settled);
            if (remaining is null || remaining.PendingSinks.Count != digest.PendingSinks.Count)
            {
                await _ledger.SaveScanAsync(scan with { Digest = remaining }, cancellationToken).ConfigureAwait(false);
            }
        }

        await DeliverExemptionNoticesAsync(tally, cancellationToken).ConfigureAwait(false);
    }

    // The Compliance.ExemptionExpiring notices, kept with their exemptions as a digest is kept with its scan.
    private async Task DeliverExemptionNoticesAsync(Tally tally, CancellationToken cancellationToken)
    {
        if (_exemptions is null)
        {
            return;
        }

        var held = new List<StoredExemption>();
        await foreach (var stored in _exemptions.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (stored.Notice is not null)
            {
                held.Add(stored);
            }
        }

        if (held.Count == 0)
        {
            return;
        }

        var settled = await PublishAsync(held.Select(s => s.Notice!).OrderBy(p => p.Message.Time).ToList(), tally, cancellationToken).ConfigureAwait(false);
        foreach (var stored in held)
        {
            var current = stored;
            for (var attempt = 1; current?.Notice is { } notice && attempt <= MaxAttempts; attempt++)
            {
                var remaining = Remaining(notice, settled);
                if (remaining is not null && remaining.PendingSinks.Count == notice.PendingSinks.Count)
                {
                    break;
                }

                if (await _exemptions.TryPutAsync(current.Exemption, remaining, current.ETag, cancellationToken).ConfigureAwait(false) is not null)
                {
                    break;
                }

                // Changed meanwhile (a sweep, an operator): settle the same message in what is stored now.
                current = await _exemptions.GetAsync(current.Exemption.Id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task DeliverPageAsync(List<StoredState> states, Tally tally, CancellationToken cancellationToken)
    {
        if (states.Count == 0)
        {
            return;
        }

        var entries = states.SelectMany(s => s.State.Outbox).OrderBy(p => p.Message.Time).ToList();
        var settled = await PublishAsync(entries, tally, cancellationToken).ConfigureAwait(false);
        await SettleStatesAsync(states, settled, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="entries"/> to their sinks and returns the (message id, sink) pairs now settled.</summary>
    private async Task<HashSet<(string MessageId, string Sink)>> PublishAsync(List<PendingNotification> entries, Tally tally, CancellationToken cancellationToken)
    {
        // Settled: accepted, or for a sink that is no longer configured.
        var settled = new HashSet<(string MessageId, string Sink)>();
        foreach (var pending in entries)
        {
            foreach (var gone in pending.PendingSinks.Where(s => !_configured.Contains(s)))
            {
                NotificationLog.SinkGone(_logger, pending.Message.Id, gone);
                settled.Add((pending.Message.Id, gone));
            }
        }

        foreach (var sink in _sinks)
        {
            var messages = entries.Where(p => p.PendingSinks.Contains(sink.Name)).Select(p => p.Message).ToList();
            if (tally.Failed.Contains(sink.Name))
            {
                // The sink failed earlier in this dispatch: what follows waits with it, in order.
                tally.Waiting += messages.Count;
                continue;
            }

            for (var offset = 0; offset < messages.Count; offset += BatchSize)
            {
                var batch = messages.Skip(offset).Take(BatchSize).ToList();
                try
                {
                    await sink.PublishAsync(batch, cancellationToken).ConfigureAwait(false);
                    settled.UnionWith(batch.Select(m => (m.Id, sink.Name)));
                    tally.Delivered += batch.Count;
                    NotificationLog.SinkDelivered(_logger, sink.Name, batch.Count);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    tally.Waiting += messages.Count - offset;
                    tally.Failed.Add(sink.Name);
                    NotificationLog.SinkFailed(_logger, sink.Name, messages.Count - offset, ex);
                    break;
                }
            }
        }

        return settled;
    }

    private async Task SettleStatesAsync(List<StoredState> states, HashSet<(string MessageId, string Sink)> settled, CancellationToken cancellationToken)
    {
        var toWrite = states.Where(s => s.State.Outbox.Any(p => p.PendingSinks.Any(sink => settled.Contains((p.Message.Id, sink))))).ToList();

        // The states about to be written may hold history entries a crash kept from the history (their notifications
        // are these): appended first, they are dropped by the same writes (PendingHistorySweep). States this dispatch
        // does not write keep theirs for their next write or sweep.
        var appended = await PendingHistorySweep.TryAppendAsync(_verdicts, toWrite, _logger, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; toWrite.Count > 0 && attempt <= MaxAttempts; attempt++)
        {
            var writes = toWrite.Select(s => new StateWrite(s.State with { Outbox = Settle(s.State.Outbox, settled), PendingHistory = PendingHistorySweep.Unwritten(s.State.PendingHistory, appended) }, s.ETag)).ToList();
            var results = await _verdicts.WriteStatesAsync(writes, cancellationToken).ConfigureAwait(false);
            var conflicts = results.Where(r => !r.Written).Select(r => r.ResourceId).ToList();
            if (conflicts.Count == 0)
            {
                return;
            }

            // The state moved on (a newer verdict): settle the same messages in what is stored now.
            var fresh = await _verdicts.GetStatesAsync(conflicts, cancellationToken).ConfigureAwait(false);
            toWrite = fresh.Values.ToList();
            if (attempt == MaxAttempts)
            {
                foreach (var id in conflicts)
                {
                    NotificationLog.OutboxUpdateFailed(_logger, id, MaxAttempts);
                }
            }
        }
    }

    private static List<PendingNotification> Settle(IReadOnlyList<PendingNotification> outbox, HashSet<(string MessageId, string Sink)> settled) =>
        outbox.Select(p => Remaining(p, settled)).OfType<PendingNotification>().ToList();

    private static PendingNotification? Remaining(PendingNotification pending, HashSet<(string MessageId, string Sink)> settled)
    {
        var sinks = pending.PendingSinks.Where(s => !settled.Contains((pending.Message.Id, s))).ToList();
        return sinks.Count == 0 ? null : pending with { PendingSinks = sinks };
    }

    /// <summary>What one dispatch has done so far, and the sinks that failed during it.</summary>
    private sealed class Tally
    {
        public int Delivered { get; set; }

        public int Waiting { get; set; }

        public HashSet<string> Failed { get; } = new(StringComparer.Ordinal);
    }
}
