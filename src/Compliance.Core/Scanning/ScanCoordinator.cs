using Compliance.Core.Notifications;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Compliance.Core.Scanning;

/// <summary>
/// A scan with a store: delivers what earlier runs left in the outbox, scans while storing verdicts in batches (so a
/// scan that dies keeps what it judged), records the scan and the summary counters, queues the scan's
/// <c>Compliance.ScanCompleted</c> digest and delivers the notifications.
/// </summary>
public sealed class ScanCoordinator
{
    private const int BatchSize = 100;

    private readonly ComplianceScanner _scanner;
    private readonly ComplianceRecorder _recorder;
    private readonly NotificationDispatcher _dispatcher;
    private readonly IVerdictStore _verdicts;
    private readonly IScanLedger _ledger;
    private readonly IReadOnlyList<string> _sinks;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ScanCoordinator> _logger;

    /// <summary>Creates a coordinator.</summary>
    public ScanCoordinator(
        ComplianceScanner scanner,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        IVerdictStore verdicts,
        IScanLedger ledger,
        IEnumerable<INotificationSink> sinks,
        TimeProvider timeProvider,
        ILogger<ScanCoordinator> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _scanner = scanner ?? throw new ArgumentNullException(nameof(scanner));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        _sinks = sinks.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>Runs a stored scan.</summary>
    public async Task<StoredScanResult> RunAsync(ScanRequest request, IProgress<ScanProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);

        var startedAt = _timeProvider.GetUtcNow();
        var scanId = request.ScanId ?? ScanId.Create(startedAt);
        var empty = ComplianceReportBuilder.Summarize([]);
        await _ledger.SaveScanAsync(new ScanRecord(scanId, startedAt, null, empty, 0, 0, [], null), cancellationToken).ConfigureAwait(false);

        var batch = new List<Assessment>(BatchSize);
        using var gate = new SemaphoreSlim(1, 1);
        var outcome = RecordOutcome.None;
        async ValueTask FlushAsync(bool whenFull, CancellationToken token)
        {
            await gate.WaitAsync(token).ConfigureAwait(false);
            try
            {
                if (batch.Count == 0 || (whenFull && batch.Count < BatchSize))
                {
                    return;
                }

                var items = batch.ToList();
                batch.Clear();
                outcome = outcome.Add(await _recorder.RecordAsync(items, scanId, token).ConfigureAwait(false));
            }
            finally
            {
                gate.Release();
            }
        }

        var result = await _scanner.ScanAsync(
            request with { ScanId = scanId },
            progress,
            async (assessment, token) =>
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    batch.Add(assessment);
                }
                finally
                {
                    gate.Release();
                }

                await FlushAsync(whenFull: true, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        await FlushAsync(whenFull: false, cancellationToken).ConfigureAwait(false);

        var report = ComplianceReportBuilder.FromScan(result);
        var summary = await StoredSummary.RefreshAsync(_verdicts, _ledger, scanId, _timeProvider, cancellationToken).ConfigureAwait(false);

        // The record keeps the start it was created with: the store keys scans by it.
        var completed = new ScanRecord(scanId, startedAt, result.CompletedAt, summary, outcome.Recorded, outcome.Stale, report.Errors, null);
        if (_sinks.Count > 0)
        {
            completed = completed with { Digest = new PendingNotification(NotificationPolicy.Digest(completed), _sinks) };
        }

        await _ledger.SaveScanAsync(completed, cancellationToken).ConfigureAwait(false);
        var dispatched = await _dispatcher.DispatchAsync(cancellationToken).ConfigureAwait(false);
        ScanLog.ScanStored(_logger, scanId, outcome.Recorded, outcome.Stale, outcome.Lost, outcome.Notifications, dispatched.Pending);
        return new StoredScanResult(result, outcome, dispatched);
    }
}
