using Compliance.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Functions;

/// <summary>
/// The HTTP triggers: the routes of the API and the dashboard under the host's <c>api</c> prefix, each bound to its one
/// implementation in <see cref="ComplianceApi"/> (the same <c>compliance serve</c> maps). Every route needs a function
/// key but the health check; starting a scan is a function of its own (<see cref="StartScan"/>), so its keys can be
/// handed out apart from the readers'.
/// </summary>
public sealed class ApiFunctions
{
    /// <summary><c>GET /api/health</c>, anonymous, for probes.</summary>
    [Function("Health")]
    public Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        ComplianceApi.HealthAsync(Context(request));

    /// <summary><c>GET /api/compliance</c>.</summary>
    [Function("ListCompliance")]
    public Task<IResult> ListCompliance([HttpTrigger(AuthorizationLevel.Function, "get", Route = "compliance")] HttpRequest request) =>
        ComplianceApi.ListAsync(Context(request));

    /// <summary><c>GET /api/compliance.csv</c>.</summary>
    [Function("ComplianceCsv")]
    public Task<IResult> ComplianceCsv([HttpTrigger(AuthorizationLevel.Function, "get", Route = "compliance.csv")] HttpRequest request) =>
        ComplianceApi.CsvAsync(Context(request));

    /// <summary><c>GET /api/compliance/{resourceId}</c>.</summary>
    [Function("GetCompliance")]
    public Task<IResult> GetCompliance(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "compliance/{*resourceId}")] HttpRequest request,
        string resourceId) =>
        ComplianceApi.DetailAsync(Context(request), resourceId);

    /// <summary><c>GET /api/summary</c>.</summary>
    [Function("Summary")]
    public Task<IResult> Summary([HttpTrigger(AuthorizationLevel.Function, "get", Route = "summary")] HttpRequest request) =>
        ComplianceApi.SummaryAsync(Context(request));

    /// <summary><c>GET /api/scans</c>.</summary>
    [Function("ListScans")]
    public Task<IResult> ListScans([HttpTrigger(AuthorizationLevel.Function, "get", Route = "scans")] HttpRequest request) =>
        ComplianceApi.ScansAsync(Context(request));

    /// <summary><c>GET /api/scans/{scanId}</c>.</summary>
    [Function("GetScan")]
    public Task<IResult> GetScan([HttpTrigger(AuthorizationLevel.Function, "get", Route = "scans/{scanId}")] HttpRequest request, string scanId) =>
        ComplianceApi.ScanAsync(Context(request), scanId);

    /// <summary><c>GET /api/dashboard</c>.</summary>
    [Function("Dashboard")]
    public Task<IResult> Dashboard([HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard")] HttpRequest request) =>
        ComplianceApi.DashboardAsync(Context(request));

    /// <summary><c>GET /api/exemptions</c>.</summary>
    [Function("ListExemptions")]
    public Task<IResult> ListExemptions([HttpTrigger(AuthorizationLevel.Function, "get", Route = "exemptions")] HttpRequest request) =>
        ExemptionApi.ListAsync(Context(request));

    /// <summary><c>GET /api/exemptions/{id}</c>.</summary>
    [Function("GetExemption")]
    public Task<IResult> GetExemption([HttpTrigger(AuthorizationLevel.Function, "get", Route = "exemptions/{id}")] HttpRequest request, string id) =>
        ExemptionApi.GetAsync(Context(request), id);

    /// <summary><c>PUT /api/exemptions/{id}</c>: an operating function, so its keys can be handed out apart from the readers'.</summary>
    [Function("PutExemption")]
    public Task<IResult> PutExemption([HttpTrigger(AuthorizationLevel.Function, "put", Route = "exemptions/{id}")] HttpRequest request, string id) =>
        ExemptionApi.PutAsync(Context(request), id);

    /// <summary><c>DELETE /api/exemptions/{id}</c>.</summary>
    [Function("DeleteExemption")]
    public Task<IResult> DeleteExemption([HttpTrigger(AuthorizationLevel.Function, "delete", Route = "exemptions/{id}")] HttpRequest request, string id) =>
        ExemptionApi.DeleteAsync(Context(request), id);

    private static HttpContext Context(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext;
    }
}
