using Compliance.Server.Hosting;

namespace Compliance.Server.Api;

/// <summary>
/// The API's routes in <c>compliance serve</c>, each bound to its one implementation in <see cref="ComplianceApi"/>
/// (the Functions app binds the same ones to its HTTP triggers), with the metadata of the OpenAPI document and the
/// permission each needs (<see cref="ApiPermission"/>).
/// </summary>
internal static class ComplianceApiEndpoints
{
    private const string FilterRules =
        "Each filter (status, action, subscription, resourceGroup, os, finding) takes one value, by name: a list such as "
        + "status=ActionRequired,Unknown, a repeated parameter or a number is refused with 400; for several values, make one "
        + "request per value. Invalid UTF-8 in the path or query is a 400; a body is a 413.";

    public static void Map(IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api");

        api.MapGet("/health", Handler(ComplianceApi.HealthAsync)).WithName("Health").WithSummary("Whether the app and its store answer.");
        api.MapGet("/compliance", Handler(ComplianceApi.ListAsync)).WithName("ListCompliance").WithSummary("Verdicts, filtered and paged (continuationToken).")
            .WithDescription(FilterRules)
            .Produces<CompliancePage>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/compliance.csv", Handler(ComplianceApi.CsvAsync)).WithName("ComplianceCsv").WithSummary("Verdicts as CSV, filtered (cells that could be formulas are neutralised).")
            .WithDescription(FilterRules)
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/compliance/{**resourceId}", (HttpContext context, string resourceId) => ComplianceApi.DetailAsync(context, resourceId))
            .WithName("GetCompliance").WithSummary("One resource's verdict, last known verdict and history.")
            .Produces<ResourceDetail>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/summary", Handler(ComplianceApi.SummaryAsync)).WithName("Summary").WithSummary("Counts by status and action (one read).").Produces<SummaryResponse>();
        api.MapGet("/scans", Handler(ComplianceApi.ScansAsync)).WithName("ListScans").WithSummary("Recent scans, newest first (top: 1-500).")
            .Produces<IReadOnlyList<ScanView>>().ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/scans/{scanId}", (HttpContext context, string scanId) => ComplianceApi.ScanAsync(context, scanId))
            .WithName("GetScan").WithSummary("One scan.").Produces<ScanView>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/scans", Handler(ComplianceApi.StartScanAsync)).WithName("StartScan").WithSummary("Start a scan now; body: {\"subscriptions\": [ids]} or empty.")
            .Produces(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/dashboard", Handler(ComplianceApi.DashboardAsync)).WithName("Dashboard")
            .WithSummary("The compliance dashboard: an HTML page with the totals, the trend and the resources that need action.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html");
        api.MapGet("/exemptions", Handler(ExemptionApi.ListAsync)).WithName("ListExemptions")
            .WithSummary("Exemptions; state=active|expired|all (default active), scope=an ARM id.")
            .Produces<IReadOnlyList<Core.Exemptions.ExemptionView>>().ProducesValidationProblem();
        api.MapGet("/exemptions/{id}", (HttpContext context, string id) => ExemptionApi.GetAsync(context, id)).WithName("GetExemption")
            .WithSummary("One exemption with its history.").Produces<ExemptionDetail>().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/exemptions/{id}", (HttpContext context, string id) => ExemptionApi.PutAsync(context, id)).WithName("PutExemption")
            .WithSummary("Make (201) or replace (200) an exemption; body: {scope, category, actions, findingCodes, expiresOn, justification}; If-Match optional.")
            .Accepts<Core.Exemptions.ExemptionRequest>("application/json")
            .Produces<Core.Exemptions.ExemptionView>(StatusCodes.Status201Created).Produces<Core.Exemptions.ExemptionView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status409Conflict);
        api.MapDelete("/exemptions/{id}", (HttpContext context, string id) => ExemptionApi.DeleteAsync(context, id)).WithName("DeleteExemption")
            .WithSummary("Remove an exemption; its resources are judged without it at once.")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);

        MapRemediations(api);

        ((IEndpointConventionBuilder)api).Finally(Classify);
    }

    private static void MapRemediations(RouteGroupBuilder api)
    {
        const string Off = "While remediation is off (Compliance:Remediation:Enabled), every remediation route answers 403 with how to turn it on.";
        api.MapGet("/remediations", Handler(RemediationApi.ListAsync)).WithName("ListRemediations").WithSummary("Remediation plans, newest first (top: 1-500).")
            .WithDescription(Off).Produces<IReadOnlyList<Core.Remediation.RemediationPlan>>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapGet("/remediations/{planId}", (HttpContext context, string planId) => RemediationApi.GetAsync(context, planId))
            .WithName("GetRemediation").WithSummary("One remediation plan: its audit trail and, per machine, what runs, its outcome and the verifying re-check.")
            .WithDescription(Off).Produces<RemediationPlanView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/remediations", Handler(RemediationApi.ProposeAsync)).WithName("ProposeRemediation")
            .WithSummary("Propose a remediation plan; body: {\"action\": \"GuestUpdate|KvaShadowing|MitigationSettings\", \"filter\": {\"subscription\", \"resourceGroup\", \"resourceIds\", \"os\", \"finding\"}, \"rebootSetting\": \"IfRequired|Never\", \"maximumDuration\": \"PT2H\", \"scripts\": [names]}. Nothing runs before it is approved.")
            .WithDescription(Off).Produces<RemediationPlanView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        api.MapPost("/remediations/{planId}/approve", (HttpContext context, string planId) => RemediationApi.ApproveAsync(context, planId))
            .WithName("ApproveRemediation").WithSummary("Approve a Proposed plan: its steps are queued and run. 409 for any other state; 403 for its author when a different approver is required.")
            .WithDescription(Off).Produces<Core.Remediation.RemediationPlan>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/remediations/{planId}/cancel", (HttpContext context, string planId) => RemediationApi.CancelAsync(context, planId))
            .WithName("CancelRemediation").WithSummary("Cancel a plan that has not ended: steps not started are skipped.")
            .WithDescription(Off).Produces<Core.Remediation.RemediationPlan>().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
    }

    // Every route of the group gets its class from the one table, by the name it is given above; a name missing from the
    // table fails the start. A convention that runs last, after WithName has run.
    private static void Classify(EndpointBuilder endpoint)
    {
        var name = endpoint.Metadata.OfType<IEndpointNameMetadata>().LastOrDefault()?.EndpointName
            ?? throw new InvalidOperationException($"The route {endpoint.DisplayName} has no name, so no permission.");
        endpoint.Metadata.Add(ApiPermission.Of(name));
    }

    // As a Delegate, so that the IResult it returns is written (a RequestDelegate would drop it).
    private static Delegate Handler(Func<HttpContext, Task<IResult>> handler) => handler;
}
