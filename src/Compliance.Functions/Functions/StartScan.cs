using Compliance.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Compliance.Functions.Functions;

/// <summary>
/// <c>POST /api/scans</c>: plans a scan now and queues its batches (<see cref="ComplianceApi.StartScanAsync"/>). A
/// function of its own, because starting work is another permission than reading: its function keys are the
/// operator's.
/// </summary>
public sealed class StartScan
{
    /// <summary>The function.</summary>
    [Function(nameof(StartScan))]
    public Task<IResult> RunAsync([HttpTrigger(AuthorizationLevel.Function, "post", Route = "scans")] HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return ComplianceApi.StartScanAsync(request.HttpContext);
    }
}
