using Microsoft.Extensions.Logging;

namespace Compliance.Core.Exemptions;

/// <summary>
/// Makes, replaces and removes exemptions for the API and the command line alike: validates (<see cref="ExemptionRules"/>),
/// writes conditionally, records the history with who did it, and re-applies the scopes concerned at once
/// (<see cref="ExemptionSweep.ApplyScopeAsync"/>), so a change shows in the verdicts, and removal is notified, without
/// waiting for the next scan.
/// </summary>
public sealed class ExemptionService
{
    private readonly IExemptionStore _store;
    private readonly ExemptionSweep _sweep;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ExemptionService> _logger;

    /// <summary>Creates the service.</summary>
    public ExemptionService(IExemptionStore store, ExemptionSweep sweep, TimeProvider timeProvider, ILogger<ExemptionService> logger)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _sweep = sweep ?? throw new ArgumentNullException(nameof(sweep));
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <summary>
    /// Makes or replaces exemption <paramref name="id"/> as <paramref name="by"/>; with <paramref name="ifMatch"/>, only
    /// if the stored one has that version (<c>*</c>: any).
    /// </summary>
    public async Task<ExemptionPutResult> PutAsync(string id, ExemptionRequest request, string by, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        var now = _timeProvider.GetUtcNow();
        var exemption = ExemptionRules.Validate(id, request, now, out var errors);
        if (exemption is null)
        {
            return new ExemptionPutResult(ExemptionOutcome.Invalid, null, null, errors);
        }

        var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (ifMatch is not null && (current is null || (ifMatch != "*" && ifMatch != current.ETag)))
        {
            return new ExemptionPutResult(ExemptionOutcome.PreconditionFailed, null, null, null);
        }

        var record = current is null
            ? exemption with { CreatedBy = by, CreatedAt = now, UpdatedBy = by, UpdatedAt = now }
            : exemption with { CreatedBy = current.Exemption.CreatedBy, CreatedAt = current.Exemption.CreatedAt, UpdatedBy = by, UpdatedAt = now };
        var etag = await _store.TryPutAsync(record, notice: null, current?.ETag, cancellationToken).ConfigureAwait(false);
        if (etag is null)
        {
            // Changed by someone else between the read and the write.
            return new ExemptionPutResult(ifMatch is null ? ExemptionOutcome.Conflict : ExemptionOutcome.PreconditionFailed, null, null, null);
        }

        var change = current is null ? ExemptionChange.Created : ExemptionChange.Updated;
        await _store.AppendHistoryAsync(new ExemptionHistoryEntry(id, now, change, by, record), cancellationToken).ConfigureAwait(false);
        ExemptionLog.Changed(_logger, id, change.ToString(), by);

        // The old scope too: resources it held and the new one does not are no longer exempt.
        if (current is not null && !string.Equals(current.Exemption.Scope, record.Scope, StringComparison.OrdinalIgnoreCase))
        {
            await _sweep.ApplyScopeAsync(current.Exemption.Scope, id, cancellationToken).ConfigureAwait(false);
        }

        await _sweep.ApplyScopeAsync(record.Scope, id, cancellationToken).ConfigureAwait(false);
        await _sweep.DeliverAsync(cancellationToken).ConfigureAwait(false);
        return new ExemptionPutResult(current is null ? ExemptionOutcome.Created : ExemptionOutcome.Replaced, record, etag, null);
    }

    /// <summary>Removes exemption <paramref name="id"/> as <paramref name="by"/>; with <paramref name="ifMatch"/>, only at that version.</summary>
    public async Task<ExemptionOutcome> DeleteAsync(string id, string by, string? ifMatch, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (!ExemptionRules.IsValidId(id))
        {
            return ExemptionOutcome.NotFound;
        }

        var current = await _store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return ExemptionOutcome.NotFound;
        }

        if (ifMatch is not null && ifMatch != "*" && ifMatch != current.ETag)
        {
            return ExemptionOutcome.PreconditionFailed;
        }

        if (!await _store.TryDeleteAsync(id, current.ETag, cancellationToken).ConfigureAwait(false))
        {
            return ifMatch is null ? ExemptionOutcome.Conflict : ExemptionOutcome.PreconditionFailed;
        }

        var now = _timeProvider.GetUtcNow();
        await _store.AppendHistoryAsync(new ExemptionHistoryEntry(id, now, ExemptionChange.Removed, by, current.Exemption), cancellationToken).ConfigureAwait(false);
        ExemptionLog.Changed(_logger, id, nameof(ExemptionChange.Removed), by);
        await _sweep.ApplyScopeAsync(current.Exemption.Scope, id, cancellationToken).ConfigureAwait(false);
        await _sweep.DeliverAsync(cancellationToken).ConfigureAwait(false);
        return ExemptionOutcome.Removed;
    }

    /// <summary>
    /// The exemptions, each with its state at the current time and the number of resources it makes <c>Exempt</c>;
    /// <paramref name="state"/> <c>active</c>, <c>expired</c> or <c>all</c>; <paramref name="scope"/>, when given, keeps
    /// those whose scope holds it or lies within it.
    /// </summary>
    public async Task<IReadOnlyList<ExemptionView>> ListAsync(string state, string? scope, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        var views = new List<ExemptionView>();
        await foreach (var stored in _store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var exemption = stored.Exemption;
            var active = exemption.IsActiveAt(now);
            if ((state == "active" && !active) || (state == "expired" && active))
            {
                continue;
            }

            if (scope is not null && !ExemptionScope.Contains(scope, exemption.Scope) && !ExemptionScope.Contains(exemption.Scope, scope))
            {
                continue;
            }

            var count = active ? await _sweep.CountExemptAsync(exemption, cancellationToken).ConfigureAwait(false) : 0;
            views.Add(ExemptionView.Of(exemption, now, count));
        }

        return views;
    }

    /// <summary>One exemption with its state and count, and its history, newest first; <see langword="null"/> when there is none.</summary>
    public async Task<(ExemptionView Exemption, string ETag, IReadOnlyList<ExemptionHistoryEntry> History)?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!ExemptionRules.IsValidId(id) || await _store.GetAsync(id, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        var now = _timeProvider.GetUtcNow();
        var count = stored.Exemption.IsActiveAt(now) ? await _sweep.CountExemptAsync(stored.Exemption, cancellationToken).ConfigureAwait(false) : 0;
        var history = new List<ExemptionHistoryEntry>();
        await foreach (var entry in _store.GetHistoryAsync(id, cancellationToken).ConfigureAwait(false))
        {
            history.Add(entry);
        }

        return (ExemptionView.Of(stored.Exemption, now, count), stored.ETag, history);
    }
}
