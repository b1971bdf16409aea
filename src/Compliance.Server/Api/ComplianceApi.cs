using System.Globalization;
using Compliance.Core.Inventory;
using Compliance.Core.Reporting;
using Compliance.Core.Scanning;
using Compliance.Core.Storage;
using Compliance.Server.Dashboard;
using Compliance.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Compliance.Server.Api;

/// <summary>
/// The one implementation of every API route, shared by the Functions app's HTTP triggers and by
/// <c>compliance serve</c>'s endpoints (<see cref="ComplianceApiEndpoints"/>): each takes the request's
/// <see cref="HttpContext"/>, reads its services from <see cref="HttpContext.RequestServices"/> and answers an
/// <see cref="IResult"/>, which both hosts execute. The reads never call ARM; <see cref="StartScanAsync"/> plans a scan
/// and queues its batches.
/// </summary>
public static class ComplianceApi
{
    private const int DefaultScans = 20;
    private const int MaxScans = 500;
    private const int MaxHistory = 500;
    private const int MaxScanIdLength = 100;

    // A start request is an object with at most a list of subscription ids: anything longer is not one.
    private const int MaxStartBody = 64 * 1024;

    /// <summary><c>GET /api/health</c>: whether the app and its store answer (503 when the store does not).</summary>
    public static async Task<IResult> HealthAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var mode = context.RequestServices.GetRequiredService<HostingModeAccessor>().Mode.ToString();
        var cancellationToken = context.RequestAborted;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            await context.RequestServices.GetRequiredService<IScanLedger>().GetSummaryAsync(timeout.Token).ConfigureAwait(false);
            return Results.Ok(new { status = "Healthy", mode, store = "ok" });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Results.Json(
                new { status = "Unhealthy", mode, store = $"unreachable ({ex.GetType().Name})" },
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary><c>GET /api/compliance</c>: verdicts, filtered and paged.</summary>
    public static async Task<IResult> ListAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (!ComplianceQuery.TryParse(context.Request.Query, paged: true, options.MaxPageSize, out var query, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid query.");
        }

        var items = new List<ReportResource>(query.PageSize);
        string? next = null;
        await foreach (var stored in Verdicts(context).QueryStatesAsync(query.StoreQuery, context.RequestAborted).ConfigureAwait(false))
        {
            var resource = stored.State.ToReportResource(Now(context));
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

    /// <summary><c>GET /api/compliance.csv</c>: the filtered verdicts as CSV, cells that could be formulas neutralised.</summary>
    public static async Task<IResult> CsvAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (!ComplianceQuery.TryParse(context.Request.Query, paged: false, options.MaxPageSize, out var query, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid query.");
        }

        var resources = new List<ReportResource>();
        await foreach (var stored in Verdicts(context).QueryStatesAsync(query.StoreQuery, context.RequestAborted).ConfigureAwait(false))
        {
            var resource = stored.State.ToReportResource(Now(context));
            if (query.Matches(resource))
            {
                resources.Add(resource);
            }
        }

        var report = new ComplianceReport("stored", DateTimeOffset.MinValue, DateTimeOffset.MinValue, ComplianceReportBuilder.Summarize(resources), resources, []);
        context.Response.Headers.ContentDisposition = "attachment; filename=compliance.csv";
        return Results.Stream(
            async body =>
            {
                await using var writer = new StreamWriter(body, leaveOpen: true);
                await ComplianceReportCsv.WriteAsync(writer, report, context.RequestAborted).ConfigureAwait(false);
            },
            "text/csv; charset=utf-8");
    }

    /// <summary><c>GET /api/compliance/{resourceId}</c>: one resource's verdict, last known verdict and history.</summary>
    public static async Task<IResult> DetailAsync(HttpContext context, string resourceId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        // Unescaped here, as the route keeps %2F: what it gives must still be text a caller meant.
        var unescaped = Uri.UnescapeDataString(resourceId ?? string.Empty);
        if (!RequestInput.IsValidText(resourceId) || !RequestInput.IsValidTarget(resourceId) || !RequestInput.IsValidText(unescaped))
        {
            return Problems.BadRequest(RequestInput.InvalidUnicode);
        }

        var id = "/" + unescaped.TrimStart('/');
        try
        {
            _ = ResourceKey.RowKey(new ResourceId(id));
        }
        catch (ArgumentException)
        {
            return Problems.BadRequest("The path after /api/compliance/ must be an ARM resource id (/subscriptions/...).");
        }

        var verdicts = Verdicts(context);
        var stored = await verdicts.GetStateAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (stored is null)
        {
            return Problems.NotFound($"No verdict is stored for {id}.");
        }

        var history = new List<HistoryEntry>();
        await foreach (var entry in verdicts.GetHistoryAsync(id, context.RequestAborted).ConfigureAwait(false))
        {
            history.Add(entry);
            if (history.Count == MaxHistory)
            {
                break;
            }
        }

        return Results.Ok(new ResourceDetail(stored.State.ToReportResource(Now(context)), history));
    }

    /// <summary><c>GET /api/summary</c>: counts by status and action (one read).</summary>
    public static async Task<IResult> SummaryAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var summary = await Ledger(context).GetSummaryAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Ok(summary is { } s
            ? new SummaryResponse(s.Summary, s.ScanId, s.UpdatedAt)
            : new SummaryResponse(ComplianceReportBuilder.Summarize([]), null, null));
    }

    /// <summary><c>GET /api/scans</c>: recent scans, newest first.</summary>
    public static async Task<IResult> ScansAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

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
        await foreach (var scan in Ledger(context).GetScansAsync(context.RequestAborted).ConfigureAwait(false))
        {
            scans.Add(ScanView.Of(scan));
            if (scans.Count == top)
            {
                break;
            }
        }

        return Results.Ok(scans);
    }

    /// <summary><c>GET /api/scans/{scanId}</c>: one scan.</summary>
    public static async Task<IResult> ScanAsync(HttpContext context, string scanId)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        if (!RequestInput.IsValidText(scanId))
        {
            return Problems.BadRequest(RequestInput.InvalidUnicode);
        }

        if (string.IsNullOrEmpty(scanId) || scanId.Length > MaxScanIdLength)
        {
            return Problems.BadRequest("That is not a scan id.");
        }

        var scan = await Ledger(context).GetScanAsync(scanId, context.RequestAborted).ConfigureAwait(false);
        return scan is null ? Problems.NotFound($"No scan {scanId}.") : Results.Ok(ScanView.Of(scan));
    }

    /// <summary>
    /// <c>POST /api/scans</c>: plans a scan of the body's subscriptions (or of the configured scope) and queues its
    /// batches; 202 with the scan's <c>Location</c>. While a scan runs, 409 with the running scan's <c>Location</c>;
    /// beyond <c>Compliance:Scan:MaxStartsPerHour</c> starts in an hour, 429 with <c>Retry-After</c>; subscriptions
    /// outside the scope, 400.
    /// </summary>
    public static async Task<IResult> StartScanAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var (body, bodyRefusal) = await ReadBodyOrRefusalAsync(context, MaxStartBody).ConfigureAwait(false);
        if (bodyRefusal is not null)
        {
            return bodyRefusal;
        }

        if (!ScanStartRequest.TryParse(body, out var request, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid body.");
        }

        var pipeline = context.RequestServices.GetRequiredService<ScanPipeline>();
        var admission = await pipeline.AdmitAsync(request, context.RequestAborted).ConfigureAwait(false);
        switch (admission.Kind)
        {
            case ScanAdmissionKind.Running:
                if (admission.RunningScanId is { } running)
                {
                    context.Response.Headers.Location = $"/api/scans/{running}";
                }

                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "A scan is running",
                    detail: admission.RunningScanId is { } id
                        ? $"Scan {id} is running; one scan runs at a time. Its progress is at /api/scans/{id}."
                        : "A scan is being started; one scan runs at a time. /api/scans lists it in a moment.",
                    extensions: new Dictionary<string, object?> { ["scanId"] = admission.RunningScanId });
            case ScanAdmissionKind.TooManyStarts:
                var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                var wait = (long)Math.Ceiling(Math.Max(1, ((admission.RetryAt ?? now) - now).TotalSeconds));
                context.Response.Headers.RetryAfter = wait.ToString(CultureInfo.InvariantCulture);
                var limit = context.RequestServices.GetRequiredService<IOptions<ScanOptions>>().Value.MaxStartsPerHour;
                return Problems.Result(
                    StatusCodes.Status429TooManyRequests,
                    "Too many scans started",
                    $"At most {limit} scans may be started on request in an hour (Compliance:Scan:MaxStartsPerHour); the next may start in {wait} seconds.");
            case ScanAdmissionKind.OutOfScope:
                // The ids were parsed as GUIDs: what is echoed is their canonical form, never the caller's text.
                return Problems.BadRequest($"These subscriptions lie outside the scope Compliance scans: {string.Join(", ", admission.OutOfScope)}.");
            default:
                var plan = await pipeline.StartAsync(admission.Request, context.RequestAborted).ConfigureAwait(false);
                return Results.Accepted($"/api/scans/{plan.ScanId}", ScanStartRequest.Accepted(plan));
        }
    }

    /// <summary><c>GET /api/dashboard</c>: the HTML dashboard, with headers that forbid script and anything fetched.</summary>
    public static async Task<IResult> DashboardAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var services = context.RequestServices;
        var data = await DashboardView.LoadAsync(
            services.GetRequiredService<IVerdictStore>(),
            services.GetRequiredService<IScanLedger>(),
            services.GetRequiredService<TimeProvider>(),
            services.GetService<Core.Exemptions.IExemptionStore>(),
            services.GetRequiredService<IOptions<Core.Exemptions.ExemptionOptions>>().Value,
            context.RequestAborted).ConfigureAwait(false);
        var html = DashboardPage.Render(data);

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = DashboardView.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return Results.Content(html, DashboardView.ContentType);
    }

    // An Exempt verdict whose exemption expired before the sweep re-applied it reads as its underlying status.
    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    private static IVerdictStore Verdicts(HttpContext context) => context.RequestServices.GetRequiredService<IVerdictStore>();

    private static IScanLedger Ledger(HttpContext context) => context.RequestServices.GetRequiredService<IScanLedger>();

    // The body, or the problem that refuses it: too large (by its length, or by the server's own limit crossed mid-read)
    // or cut short. Either way the request's fault, said as a problem.
    internal static async Task<(string Body, IResult? Refusal)> ReadBodyOrRefusalAsync(HttpContext context, int limit)
    {
        try
        {
            return (await ReadBodyAsync(context.Request, limit, context.RequestAborted).ConfigureAwait(false), null);
        }
        catch (InvalidDataException ex)
        {
            return (string.Empty, Problems.Result(StatusCodes.Status413PayloadTooLarge, "Body too large", ex.Message));
        }
        catch (BadHttpRequestException ex)
        {
            return (string.Empty, Problems.Result(ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Body too large" : "Bad request", RequestInput.BodyRefusal(ex)));
        }
    }

    // Reads at most limit characters: a body beyond it is refused without being read whole.
    private static async Task<string> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new InvalidDataException($"The body holds at most {limit} bytes.");
        }

        using var reader = new StreamReader(request.Body);
        var buffer = new char[limit + 1];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await reader.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            read += n;
        }

        return read > limit ? throw new InvalidDataException($"The body holds at most {limit} bytes.") : new string(buffer, 0, read);
    }
}
