using Compliance.Core.Exemptions;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Rules;
using Compliance.Core.Storage;
using Compliance.Server.Api;

namespace Compliance.Server.Dashboard;

/// <summary>
/// What <c>GET /api/dashboard</c> shows (<see cref="ComplianceApi.DashboardAsync"/>): one self-contained HTML page
/// rendered from the store, with no script and nothing loaded from elsewhere, so the headers can forbid both and guest
/// output shown on it stays inert even if encoding failed.
/// </summary>
internal static class DashboardView
{
    /// <summary>The route.</summary>
    public const string Path = "/api/dashboard";

    /// <summary>No script, no frame, no form, nothing fetched; only the inline style sheet and <c>data:</c> images.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>The content type of the page.</summary>
    public const string ContentType = "text/html; charset=utf-8";

    /// <summary>How many completed scans the trend shows at most.</summary>
    public const int TrendScans = 30;

    /// <summary>How many rows a table lists at most; the JSON API lists the rest.</summary>
    public const int MaxRows = 500;

    // Scans that died never complete; reading stops here so a long run of them cannot make the page slow.
    private const int MaxScansRead = 300;

    /// <summary>Reads what the dashboard shows: the summary, the recent completed scans and the resources of its tables.</summary>
    public static async Task<DashboardData> LoadAsync(IVerdictStore verdicts, IScanLedger ledger, TimeProvider time, CancellationToken cancellationToken)
        => await LoadAsync(verdicts, ledger, time, exemptionStore: null, new ExemptionOptions(), cancellationToken).ConfigureAwait(false);

    /// <summary>Reads what the dashboard shows, with the exemptions of <paramref name="exemptionStore"/> when given.</summary>
    public static async Task<DashboardData> LoadAsync(
        IVerdictStore verdicts,
        IScanLedger ledger,
        TimeProvider time,
        IExemptionStore? exemptionStore,
        ExemptionOptions exemptionOptions,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exemptionOptions);
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(time);

        var summary = await ledger.GetSummaryAsync(cancellationToken).ConfigureAwait(false);

        var scans = new List<ScanRecord>(TrendScans);
        var read = 0;
        await foreach (var scan in ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            if (scan.CompletedAt is not null)
            {
                scans.Add(scan);
            }

            if (scans.Count == TrendScans || ++read == MaxScansRead)
            {
                break;
            }
        }

        scans.Sort((a, b) => Nullable.Compare(a.CompletedAt, b.CompletedAt));

        // The store filters by status but not by kind, and the Cloud Services of every status are shown: one pass over
        // the states reads each of them once, instead of a filtered query per table that reads some of them twice.
        var actionRequired = new RowsBuilder();
        var unknown = new RowsBuilder();
        var cloudServices = new RowsBuilder();
        var now = time.GetUtcNow();
        var exemptCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var stored in verdicts.QueryStatesAsync(StateQuery.All, cancellationToken).ConfigureAwait(false))
        {
            var resource = stored.State.ToReportResource(now);
            if (resource.Exemption is { } exemption)
            {
                exemptCounts[exemption.Id] = exemptCounts.GetValueOrDefault(exemption.Id) + 1;
            }

            if (resource.Kind == nameof(ResourceKind.CloudService))
            {
                cloudServices.Add(resource);
            }
            else if (resource.Status == nameof(ComplianceStatus.ActionRequired))
            {
                actionRequired.Add(resource);
            }
            else if (resource.Status == nameof(ComplianceStatus.Unknown))
            {
                unknown.Add(resource);
            }
        }

        return new DashboardData(
            summary?.Summary ?? ComplianceReportBuilder.Summarize([]),
            summary?.ScanId,
            summary?.UpdatedAt,
            scans,
            actionRequired.Build(),
            unknown.Build(),
            cloudServices.Build(),
            time.GetUtcNow())
        {
            Exemptions = await ExemptionsAsync(exemptionStore, exemptCounts, now, cancellationToken).ConfigureAwait(false),
            ExpiringSoon = exemptionOptions.ExpiringNotice,
        };
    }

    // Active ones first, soonest to expire first; then the expired, most recent first. At most MaxRows.
    private static async Task<IReadOnlyList<ExemptionView>> ExemptionsAsync(IExemptionStore? store, Dictionary<string, int> counts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return [];
        }

        var all = new List<ExemptionView>();
        await foreach (var stored in store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(ExemptionView.Of(stored.Exemption, now, counts.GetValueOrDefault(stored.Exemption.Id)));
        }

        var active = all.Where(e => e.State == "active").OrderBy(e => e.ExpiresOn ?? DateTimeOffset.MaxValue).ThenBy(e => e.Id, StringComparer.Ordinal);
        var expired = all.Where(e => e.State != "active").OrderByDescending(e => e.ExpiresOn).ThenBy(e => e.Id, StringComparer.Ordinal);
        return active.Concat(expired)
            .Take(MaxRows)
            .ToList();
    }

    /// <summary>Collects the first <see cref="MaxRows"/> rows of a table and counts the rest.</summary>
    private sealed class RowsBuilder
    {
        private readonly List<ReportResource> _shown = [];
        private int _total;

        public void Add(ReportResource resource)
        {
            if (_shown.Count < MaxRows)
            {
                _shown.Add(resource);
            }

            _total++;
        }

        public DashboardRows Build() => new(_shown, _total);
    }
}
