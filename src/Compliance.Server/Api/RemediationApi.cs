using System.Globalization;
using Compliance.Core.Remediation;
using Compliance.Server.Hosting;

namespace Compliance.Server.Api;

/// <summary>
/// The remediation routes, shared by the Functions app's HTTP triggers and <c>compliance serve</c>'s endpoints: propose
/// a plan, approve it (nothing runs before), cancel it, read them. The author and approver are the caller's identity
/// (<see cref="ApiIdentity.Of"/>). While remediation is off, every route answers 403 with how to turn it on.
/// </summary>
public static class RemediationApi
{
    private const int DefaultPlans = 50;
    private const int MaxPlans = 500;
    private const int MaxBody = 256 * 1024;

    /// <summary><c>GET /api/remediations</c>: plans, newest first (top: 1-500).</summary>
    public static Task<IResult> ListAsync(HttpContext context) => RunAsync(context, async service =>
    {
        var top = DefaultPlans;
        foreach (var key in context.Request.Query.Keys.Where(k => !string.Equals(k, "top", StringComparison.OrdinalIgnoreCase)))
        {
            return Problems.BadRequest($"Unknown parameter '{key}'. Allowed: top.");
        }

        if (context.Request.Query.TryGetValue("top", out var value)
            && (value.Count != 1 || !int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxPlans))
        {
            return Problems.BadRequest($"top must be a whole number from 1 to {MaxPlans}.");
        }

        return Results.Ok(await service.ListAsync(top, context.RequestAborted).ConfigureAwait(false));
    });

    /// <summary><c>GET /api/remediations/{planId}</c>: one plan and its steps.</summary>
    public static Task<IResult> GetAsync(HttpContext context, string planId) => RunAsync(context, async service =>
    {
        var (plan, steps) = await service.GetAsync(planId, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok(new RemediationPlanView(plan, steps));
    });

    /// <summary><c>POST /api/remediations</c>: proposes a plan; 201 with the plan, its steps and its <c>Location</c>.</summary>
    public static Task<IResult> ProposeAsync(HttpContext context) => RunAsync(context, async service =>
    {
        var (body, bodyRefusal) = await ComplianceApi.ReadBodyOrRefusalAsync(context, MaxBody).ConfigureAwait(false);
        if (bodyRefusal is not null)
        {
            return bodyRefusal;
        }

        if (!RemediationRequestBody.TryParse(body, out var request, out var error))
        {
            return Problems.BadRequest(error ?? "Invalid body.");
        }

        var (plan, steps) = await service.ProposeAsync(request, Caller(context), context.RequestAborted).ConfigureAwait(false);
        return Results.Created($"/api/remediations/{plan.Id}", new RemediationPlanView(plan, steps));
    });

    /// <summary><c>POST /api/remediations/{planId}/approve</c>: approves a Proposed plan and queues its steps.</summary>
    public static Task<IResult> ApproveAsync(HttpContext context, string planId) => RunAsync(context, async service =>
        Results.Ok(await service.ApproveAsync(planId, Caller(context), context.RequestAborted).ConfigureAwait(false)));

    /// <summary><c>POST /api/remediations/{planId}/cancel</c>: cancels a plan that has not ended; steps not started are skipped.</summary>
    public static Task<IResult> CancelAsync(HttpContext context, string planId) => RunAsync(context, async service =>
        Results.Ok(await service.CancelAsync(planId, Caller(context), context.RequestAborted).ConfigureAwait(false)));

    /// <summary>The problem a refusal is answered with.</summary>
    public static IResult Problem(RemediationRefusedException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return refusal.Kind switch
        {
            RemediationRefusalKind.Off => Problems.Result(StatusCodes.Status403Forbidden, "Remediation is off", refusal.Message),
            RemediationRefusalKind.NotFound => Problems.NotFound(refusal.Message),
            RemediationRefusalKind.Conflict => Problems.Result(StatusCodes.Status409Conflict, "Conflict", refusal.Message),
            RemediationRefusalKind.Forbidden => Problems.Result(StatusCodes.Status403Forbidden, "Forbidden", refusal.Message),
            _ => Problems.BadRequest(refusal.Message),
        };
    }

    private static async Task<IResult> RunAsync(HttpContext context, Func<RemediationService, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var service = context.RequestServices.GetRequiredService<RemediationService>();
        if (!service.Enabled)
        {
            // Before anything in the request is looked at: the answer is the same whatever was asked.
            return Problem(new RemediationRefusedException(RemediationRefusalKind.Off, RemediationOptions.OffMessage));
        }

        try
        {
            return await handler(service).ConfigureAwait(false);
        }
        catch (RemediationRefusedException ex)
        {
            return Problem(ex);
        }
    }

    private static string Caller(HttpContext context) => ApiIdentity.Of(context);
}
