using System.Globalization;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Storage;
using Compliance.Functions.Hosting;
using Compliance.Core.Scanning;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Api;

/// <summary>
/// The HTTP API (the <c>ComplianceApi</c> function under the host; the same routes on its own). It reads the store
/// only and never calls ARM; <c>POST /api/scans</c> plans a scan (under the host that is the <c>StartScan</c> function).
/// </summary>
internal static class ComplianceApiEndpoints
{
    private const int DefaultScans = 20;
    private const int MaxScans = 500;
    private const int MaxHistory = 500;

    public static void Map(IEndpointRouteBuilder routes, HostingMode mode)
    {
        var api = routes.MapGroup("/api");

        api.MapGet("/health", HealthAsync).WithName("Health").WithSummary("Whether the app and its store answer.");
        api.MapGet("/compliance", ListAsync).WithName("ListCompliance").WithSummary("Verdicts, filtered and paged (continuationToken).")
            .Produces<CompliancePage>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/compliance.csv", CsvAsync).WithName("ComplianceCsv").WithSummary("Verdicts as CSV, filtered (cells that could be formulas are neutralised).")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/compliance/{**resourceId}", DetailAsync).WithName("GetCompliance").WithSummary("One resource's verdict, last known verdict and history.")
            .Produces<ResourceDetail>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/summary", SummaryAsync).WithName("Summary").WithSummary("Counts by status and action (one read).").Produces<SummaryResponse>();
        api.MapGet("/scans", ScansAsync).WithName("ListScans").WithSummary("Recent scans, newest first (top: 1-500).")
            .Produces<IReadOnlyList<ScanView>>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/scans/{scanId}", ScanAsync).WithName("GetScan").WithSummary("One scan.").Produces<ScanView>().ProducesProblem(StatusCodes.Status404NotFound);
        if (mode == HostingMode.Standalone)
        {
            api.MapPost("/scans", StartScanAsync).WithName("StartScan").WithSummary("Start a scan now; body: {\"subscriptions\": [ids]} or empty.")
                .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);
        }
    }

    private static async Task<IResult> HealthAsync(IScanLedger ledger, HostingModeAccessor mode, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await ledger.GetSummaryAsync(timeout.Token).ConfigureAwait(false);
            return Results.Ok(new { status = "Healthy", mode = mode.Mode.ToString(), store = "ok" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Results.Json(
                new { status = "Unhealthy", mode = mode.Mode.ToString(), store = $"unreachable ({ex.GetType().Name})" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<IResult> ListAsync(HttpContext context, IVerdictStore verdicts, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        if (!ComplianceQuery.TryParse(context.Request.Query, paged: true, options.Value.MaxPageSize, out var query, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid query.");
        }

        var items = new List<ReportResource>(query.PageSize);
        string? next = null;
        await foreach (var stored in verdicts.QueryStatesAsync(query.StoreQuery, cancellationToken).ConfigureAwait(false))
        {
            var resource = stored.State.ToReportResource();
            if (!query.Matches(resource))
            {
                continue;
            }

            if (items.Count == query.PageSize)
            {
                // One more match exists: the page ends here and the token continues after its last item.
                next = ComplianceQuery.Encode(items[^1].Id);
                break;
            }

            items.Add(resource);
        }

        return Results.Ok(new CompliancePage(items, next));
    }

    private static async Task CsvAsync(HttpContext context, IVerdictStore verdicts, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        if (!ComplianceQuery.TryParse(context.Request.Query, paged: false, options.Value.MaxPageSize, out var query, out var error))
        {
            await Problems.Write(context, StatusCodes.Status400BadRequest, "Bad request", error ?? "Invalid query.").ConfigureAwait(false);
            return;
        }

        var resources = new List<ReportResource>();
        await foreach (var stored in verdicts.QueryStatesAsync(query.StoreQuery, cancellationToken).ConfigureAwait(false))
        {
            var resource = stored.State.ToReportResource();
            if (query.Matches(resource))
            {
                resources.Add(resource);
            }
        }

        context.Response.ContentType = "text/csv; charset=utf-8";
        context.Response.Headers.ContentDisposition = "attachment; filename=compliance.csv";
        var report = new ComplianceReport("stored", DateTimeOffset.MinValue, DateTimeOffset.MinValue, ComplianceReportBuilder.Summarize(resources), resources, []);
        await using var writer = new StreamWriter(context.Response.Body, leaveOpen: true);
        await ComplianceReportCsv.WriteAsync(writer, report, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IResult> DetailAsync(string resourceId, IVerdictStore verdicts, CancellationToken cancellationToken)
    {
        var id = "/" + Uri.UnescapeDataString(resourceId).TrimStart('/');
        try
        {
            _ = ResourceKey.RowKey(new ResourceId(id));
        }
        catch (ArgumentException)
        {
            return Problems.BadRequest("The path after /api/compliance/ must be an ARM resource id (/subscriptions/...).");
        }

        var stored = await verdicts.GetStateAsync(id, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return Problems.NotFound($"No verdict is stored for {id}.");
        }

        var history = new List<HistoryEntry>();
        await foreach (var entry in verdicts.GetHistoryAsync(id, cancellationToken).ConfigureAwait(false))
        {
            history.Add(entry);
            if (history.Count == MaxHistory)
            {
                break;
            }
        }

        return Results.Ok(new ResourceDetail(stored.State.ToReportResource(), history));
    }

    private static async Task<IResult> SummaryAsync(IScanLedger ledger, CancellationToken cancellationToken)
    {
        var summary = await ledger.GetSummaryAsync(cancellationToken).ConfigureAwait(false);
        return Results.Ok(summary is { } s
            ? new SummaryResponse(s.Summary, s.ScanId, s.UpdatedAt)
            : new SummaryResponse(ComplianceReportBuilder.Summarize([]), null, null));
    }

    private static async Task<IResult> ScansAsync(HttpContext context, IScanLedger ledger, CancellationToken cancellationToken)
    {
        var top = DefaultScans;
        foreach (var key in context.Request.Query.Keys.Where(k => !string.Equals(k, "top", StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.BadRequest($"Unknown parameter '{key}'. Allowed: top.");
        }

        if (context.Request.Query.TryGetValue("top", out var value)
            && (value.Count != 1 || !int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxScans))
        {
            return Problems.BadRequest($"top must be a whole number from 1 to {MaxScans}.");
        }

        var scans = new List<ScanView>();
        await foreach (var scan in ledger.GetScansAsync(cancellationToken).ConfigureAwait(false))
        {
            scans.Add(ScanView.Of(scan));
            if (scans.Count == top)
            {
                break;
            }
        }

        return Results.Ok(scans);
    }

    private static async Task<IResult> ScanAsync(string scanId, IScanLedger ledger, CancellationToken cancellationToken)
    {
        if (scanId.Length > 100)
        {
            return Problems.BadRequest("That is not a scan id.");
        }

        var scan = await ledger.GetScanAsync(scanId, cancellationToken).ConfigureAwait(false);
        return scan is null ? Problems.NotFound($"No scan {scanId}.") : Results.Ok(ScanView.Of(scan));
    }

    private static async Task<IResult> StartScanAsync(HttpContext context, IServiceProvider services, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        if (!ScanStartRequest.TryParse(body, out var request, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid body.");
        }

        var plan = await services.GetRequiredService<ScanPipeline>().StartAsync(request, cancellationToken).ConfigureAwait(false);
        return Results.Accepted($"/api/scans/{plan.ScanId}", ScanStartRequest.Accepted(plan));
    }
}
