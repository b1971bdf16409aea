using Compliance.Core.Notifications;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Compliance.Core.Exemptions;

/// <summary>
/// Applies exemptions to the stored states without waiting for the next scan: right after an exemption is made,
/// changed or removed (its scope), and on a timer (<see cref="SweepAsync"/>), which records the exemptions that expired
/// since, re-applies their scopes and queues the <c>Compliance.ExemptionExpiring</c> notices. Every state change goes
/// through <see cref="ComplianceRecorder.ReapplyAsync"/> (conditional writes, history, outbox), so two sweeps that race
/// publish each transition once.
/// </summary>
public sealed class ExemptionSweep
{
    private readonly IExemptionStore _exemptions;
    private readonly IVerdictStore _verdicts;
    private readonly ComplianceRecorder _recorder;
    private readonly IReadOnlyList<string> _sinks;
    private readonly IOptions<ExemptionOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ExemptionSweep> _logger;
    private readonly NotificationDispatcher _dispatcher;

    /// <summary>Creates the sweep; expiring notices are queued for each of <paramref name="sinks"/> and delivered by <paramref name="dispatcher"/>.</summary>
    public ExemptionSweep(
        IExemptionStore exemptions,
        IVerdictStore verdicts,
        ComplianceRecorder recorder,
        NotificationDispatcher dispatcher,
        IEnumerable<INotificationSink> sinks,
        IOptions<ExemptionOptions> options,
        TimeProvider timeProvider,
        ILogger<ExemptionSweep> logger)
    {
        ArgumentNullException.ThrowIfNull(sinks);
        _exemptions = exemptions ?? throw new ArgumentNullException(nameof(exemptions));
        _verdicts = verdicts ?? throw new ArgumentNullException(nameof(verdicts));
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        _dispatcher = dispatcher ?? throw new ArgumentNullException(nameof(dispatcher));
        _sinks = sinks.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToList();
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>The scan id under which a change made for exemption <paramref name="id"/> is recorded in the history.</summary>
    public static string ScanIdFor(string id) => $"exemption:{id}";

    /// <summary>What a timer runs: <see cref="SweepAsync"/>, then a delivery of what it queued.</summary>
    public async Task<ExemptionSweepOutcome> RunAsync(CancellationToken cancellationToken)
    {
        var outcome = await SweepAsync(cancellationToken).ConfigureAwait(false);
        await DeliverAsync(cancellationToken).ConfigureAwait(false);
        return outcome;
    }

    /// <summary>
    /// Delivers the outbox now, unless another delivery holds the turn (it, or the next, delivers). Best effort: what is
    /// not delivered stays in the outbox for the next dispatch.
    /// </summary>
    public async Task DeliverAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _dispatcher.DispatchAsync(waitForTurn: false, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ExemptionLog.DeliveryDeferred(_logger, ex);
        }
    }

    /// <summary>Re-applies the exemptions to every stored state in <paramref name="scope"/>; returns how many changed.</summary>
    public async Task<int> ApplyScopeAsync(string scope, string exemptionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        var ids = await ResourcesInAsync(scope, onlyExemptBy: null, cancellationToken).ConfigureAwait(false);
        var changed = await _recorder.ReapplyAsync(ids, ScanIdFor(exemptionId), cancellationToken).ConfigureAwait(false);
        ExemptionLog.ScopeApplied(_logger, exemptionId, ids.Count, changed);
        return changed;
    }

    /// <summary>How many stored states exemption <paramref name="exemption"/> makes <c>Exempt</c> now.</summary>
    public async Task<int> CountExemptAsync(Exemption exemption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exemption);
        return (await ResourcesInAsync(exemption.Scope, exemption.Id, cancellationToken).ConfigureAwait(false)).Count;
    }

    /// <summary>
    /// The timer's sweep: for each exemption that expired and whose expiry is not recorded yet, re-applies its scope,
    /// writes its <c>Expired</c> history entry and marks it recorded (in that order, each step idempotent, so a crash
    /// half way is finished by the next sweep); re-applies the states still <c>Exempt</c> by an exemption that no longer
    /// covers (removed while a re-application failed); and queues one <c>Compliance.ExemptionExpiring</c> per exemption
    /// and expiry value once it is within <see cref="ExemptionOptions.ExpiringNotice"/>.
    /// </summary>
    public async Task<ExemptionSweepOutcome> SweepAsync(CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var notice = _options.Value.ExpiringNotice;
        var all = new List<StoredExemption>();
        await foreach (var stored in _exemptions.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(stored);
        }

        int expired = 0, expiring = 0, changed = 0;
        foreach (var stored in all)
        {
            var exemption = stored.Exemption;
            if (exemption.ExpiresOn is not { } expiresOn)
            {
                continue;
            }

            if (expiresOn <= now && exemption.ExpiryRecordedFor != expiresOn)
            {
                changed += await ApplyScopeAsync(exemption.Scope, exemption.Id, cancellationToken).ConfigureAwait(false);
                await _exemptions.AppendHistoryAsync(new ExemptionHistoryEntry(exemption.Id, expiresOn, ExemptionChange.Expired, "system", exemption), cancellationToken).ConfigureAwait(false);
                if (await _exemptions.TryPutAsync(exemption with { ExpiryRecordedFor = expiresOn }, stored.Notice, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
                {
                    expired++;
                    ExemptionLog.Expired(_logger, exemption.Id);
                }
            }
            else if (expiresOn > now && expiresOn - notice <= now && exemption.ExpiringNotifiedFor != expiresOn)
            {
                var count = await CountExemptAsync(exemption, cancellationToken).ConfigureAwait(false);
                var message = NotificationPolicy.Expiring(exemption, count, now);
                var pending = _sinks.Count == 0 ? stored.Notice : new PendingNotification(message, _sinks);

                // Conditional: of two sweeps, one queues it; the other finds the version changed and leaves it.
                if (await _exemptions.TryPutAsync(exemption with { ExpiringNotifiedFor = expiresOn }, pending, stored.ETag, cancellationToken).ConfigureAwait(false) is not null)
                {
                    expiring++;
                    ExemptionLog.Expiring(_logger, exemption.Id, expiresOn);
                }
            }
        }

        // States still Exempt by an exemption that no longer covers them: its removal's re-application did not finish.
        var active = all.Select(s => s.Exemption).Where(e => e.IsActiveAt(now)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        var orphans = new List<string>();
        await foreach (var state in _verdicts.QueryStatesAsync(new StateQuery { Status = nameof(ComplianceStatus.Exempt) }, cancellationToken).ConfigureAwait(false))
        {
            var exemptionId = state.State.Verdict.Exemption?.Id;
            if (exemptionId is null || !active.TryGetValue(exemptionId, out var exemption) || !ExemptionScope.Contains(exemption.Scope, state.State.ResourceId))
            {
                orphans.Add(state.State.ResourceId);
            }
        }

        if (orphans.Count > 0)
        {
            changed += await _recorder.ReapplyAsync(orphans, "exemption:sweep", cancellationToken).ConfigureAwait(false);
        }

        return new ExemptionSweepOutcome(expired, expiring, changed);
    }

    // The stored resources in scope (only those Exempt by onlyExemptBy, when given). A subscription is read whole; a
    // resource group or a resource by the key range of its id.
    private async Task<List<string>> ResourcesInAsync(string scope, string? onlyExemptBy, CancellationToken cancellationToken)
    {
        var subscription = ExemptionScope.SubscriptionOf(scope);
        var isSubscription = scope.Split('/', StringSplitOptions.RemoveEmptyEntries).Length == 2;
        var query = isSubscription
            ? new StateQuery { SubscriptionId = subscription }
            : new StateQuery { ResourceIdPrefix = scope + "/" };
        if (onlyExemptBy is not null)
        {
            query = query with { Status = nameof(ComplianceStatus.Exempt) };
        }

        var ids = new List<string>();
        await foreach (var state in _verdicts.QueryStatesAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (ExemptionScope.Contains(scope, state.State.ResourceId) && (onlyExemptBy is null || state.State.Verdict.Exemption?.Id == onlyExemptBy))
            {
                ids.Add(state.State.ResourceId);
            }
        }

        if (!isSubscription && await _verdicts.GetStateAsync(scope, cancellationToken).ConfigureAwait(false) is { } itself
            && (onlyExemptBy is null || itself.State.Verdict.Exemption?.Id == onlyExemptBy))
        {
            ids.Add(itself.State.ResourceId);
        }

        return ids;
    }
}
