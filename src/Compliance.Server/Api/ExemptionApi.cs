using Compliance.Core.Exemptions;
using Compliance.Server.Hosting;

namespace Compliance.Server.Api;

/// <summary>
/// The exemption routes, shared by <c>compliance serve</c> (<see cref="ComplianceApiEndpoints"/>) and the Functions
/// app's HTTP triggers: list and read need the read permission, make, replace and remove the operator's. Changes are
/// made by <see cref="ExemptionService"/>, which names the caller (<see cref="ApiIdentity"/>) and re-applies the scope at once.
/// </summary>
public static class ExemptionApi
{
    // An exemption is a few fields and a justification of at most 1000 characters.
    private const int MaxBody = 16 * 1024;

    /// <summary><c>GET /api/exemptions</c>: the exemptions; <c>state=active|expired|all</c> (default active), <c>scope</c>.</summary>
    public static async Task<IResult> ListAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var query = context.Request.Query;
        foreach (var key in query.Keys)
        {
            if (key is not ("state" or "scope"))
            {
                return Problems.BadRequest("Unknown parameter: the filters are state (active, expired or all) and scope (an ARM id).");
            }

            if (query[key].Count > 1)
            {
                return Problems.BadRequest($"Parameter '{key}' is given more than once: each parameter takes one value.");
            }
        }

        var state = query["state"].ToString();
        state = state.Length == 0 ? "active" : state.ToLowerInvariant();
        if (state is not ("active" or "expired" or "all"))
        {
            return Invalid(new Dictionary<string, string[]> { ["state"] = ["must be active, expired or all"] });
        }

        string? scope = null;
        if (query.ContainsKey("scope"))
        {
            scope = ExemptionScope.Normalize(query["scope"].ToString(), out var error);
            if (scope is null)
            {
                return Invalid(new Dictionary<string, string[]> { ["scope"] = [error!] });
            }
        }

        var exemptions = await Service(context).ListAsync(state, scope, context.RequestAborted).ConfigureAwait(false);
        return Results.Ok(exemptions);
    }

    /// <summary><c>GET /api/exemptions/{id}</c>: one exemption with its history.</summary>
    public static async Task<IResult> GetAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        if (await Service(context).GetAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } found)
        {
            return Problems.NotFound("There is no exemption with this id.");
        }

        context.Response.Headers.ETag = found.ETag;
        return Results.Ok(new ExemptionDetail(found.Exemption, found.History.Select(ExemptionHistoryView.Of).ToList()));
    }

    /// <summary><c>PUT /api/exemptions/{id}</c>: makes (201) or replaces (200) an exemption; <c>If-Match</c> makes it conditional (412).</summary>
    public static async Task<IResult> PutAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var (body, bodyRefusal) = await ComplianceApi.ReadBodyOrRefusalAsync(context, MaxBody).ConfigureAwait(false);
        if (bodyRefusal is not null)
        {
            return bodyRefusal;
        }

        if (!RequestInput.IsValidText(body))
        {
            return Problems.BadRequest(RequestInput.InvalidUnicode);
        }

        if (ExemptionBody.TryParse(body, out var bodyErrors) is not { } request)
        {
            return Invalid(bodyErrors!);
        }

        var result = await Service(context).PutAsync(id, request, ApiIdentity.Of(context), IfMatch(context), context.RequestAborted).ConfigureAwait(false);
        if (result.ETag is { } etag)
        {
            context.Response.Headers.ETag = etag;
        }

        var now = context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        return result.Outcome switch
        {
            ExemptionOutcome.Invalid => Invalid(result.Errors!),
            ExemptionOutcome.Created => Results.Created($"/api/exemptions/{id}", ExemptionView.Of(result.Exemption!, now)),
            ExemptionOutcome.Replaced => Results.Ok(ExemptionView.Of(result.Exemption!, now)),
            ExemptionOutcome.PreconditionFailed => Problems.Result(StatusCodes.Status412PreconditionFailed, "Precondition failed", "The exemption is not at the version If-Match names (or does not exist): read it again."),
            _ => Problems.Result(StatusCodes.Status409Conflict, "Conflict", "The exemption changed while it was being written: try again."),
        };
    }

    /// <summary><c>DELETE /api/exemptions/{id}</c>: removes an exemption (204, 404 if none); its resources are re-judged at once.</summary>
    public static async Task<IResult> DeleteAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (RequestInput.Refusal(context) is { } refusal)
        {
            return refusal;
        }

        var outcome = await Service(context).DeleteAsync(id, ApiIdentity.Of(context), IfMatch(context), context.RequestAborted).ConfigureAwait(false);
        return outcome switch
        {
            ExemptionOutcome.Removed => Results.NoContent(),
            ExemptionOutcome.NotFound => Problems.NotFound("There is no exemption with this id."),
            ExemptionOutcome.PreconditionFailed => Problems.Result(StatusCodes.Status412PreconditionFailed, "Precondition failed", "The exemption is not at the version If-Match names: read it again."),
            _ => Problems.Result(StatusCodes.Status409Conflict, "Conflict", "The exemption changed while it was being removed: try again."),
        };
    }

    // A 400 problem with the problems by field (errors) and the same in its detail; none echoes the caller's input.
    private static IResult Invalid(IReadOnlyDictionary<string, string[]> errors) =>
        Results.ValidationProblem(
            errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
            detail: "The exemption is not valid: " + string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(", ", e.Value)}")) + ".",
            title: "Bad request");

    private static ExemptionService Service(HttpContext context) => context.RequestServices.GetRequiredService<ExemptionService>();

    private static string? IfMatch(HttpContext context)
    {
        var value = context.Request.Headers.IfMatch.ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
