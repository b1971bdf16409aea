using Compliance.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Functions;

/// <summary>
/// The remediation routes (<see cref="RemediationApi"/>, the same <c>compliance serve</c> maps): reading plans needs a
/// function key (and, with App Service Authentication, the read role); proposing, approving and cancelling need the
/// operator's. While <c>Compliance__Remediation__Enabled</c> is off, every one answers 403 with how to turn it on.
/// </summary>
public sealed class RemediationFunctions
{
    /// <summary><c>GET /api/remediations</c>.</summary>
    [Function("ListRemediations")]
    public Task<IResult> List([HttpTrigger(AuthorizationLevel.Function, "get", Route = "remediations")] HttpRequest request) =>
        RemediationApi.ListAsync(Context(request));

    /// <summary><c>GET /api/remediations/{planId}</c>.</summary>
    [Function("GetRemediation")]
    public Task<IResult> Get([HttpTrigger(AuthorizationLevel.Function, "get", Route = "remediations/{planId}")] HttpRequest request, string planId) =>
        RemediationApi.GetAsync(Context(request), planId);

    /// <summary><c>POST /api/remediations</c>.</summary>
    [Function("ProposeRemediation")]
    public Task<IResult> Propose([HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations")] HttpRequest request) =>
        RemediationApi.ProposeAsync(Context(request));

    /// <summary><c>POST /api/remediations/{planId}/approve</c>.</summary>
    [Function("ApproveRemediation")]
    public Task<IResult> Approve([HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{planId}/approve")] HttpRequest request, string planId) =>
        RemediationApi.ApproveAsync(Context(request), planId);

    /// <summary><c>POST /api/remediations/{planId}/cancel</c>.</summary>
    [Function("CancelRemediation")]
    public Task<IResult> Cancel([HttpTrigger(AuthorizationLevel.Function, "post", Route = "remediations/{planId}/cancel")] HttpRequest request, string planId) =>
        RemediationApi.CancelAsync(Context(request), planId);

    private static HttpContext Context(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.HttpContext;
    }
}
