using System.Globalization;
using System.Text.Json;
using Compliance.Core.Queues;
using Compliance.Core.Scanning;
using Compliance.Functions.Events;
using Compliance.Functions.Hosting;
using Microsoft.Extensions.Options;

namespace Compliance.Functions.Invocations;

/// <summary>
/// The custom-handler side of the functions with non-HTTP triggers (and of <c>StartScan</c>, which has a queue output):
/// the host posts each invocation to <c>/{FunctionName}</c> and reads <c>Outputs</c>, <c>Logs</c> and
/// <c>ReturnValue</c> from the answer. An input that is not what the binding delivers is a 400; a failure is a 500; both
/// fail the invocation, so the platform's retries (queue, Event Grid) apply.
/// </summary>
internal static class FunctionEndpoints
{
    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost($"/{FunctionNames.ScheduledScan}", (HttpContext context, ScanPipeline pipeline) =>
            InvokeAsync(context, async (request, response, token) =>
            {
                // The timer value carries the schedule status (null without the schedule monitor); a scan is due either way.
                var timer = request.BindingAsJson(FunctionNames.Bindings.Timer);
                if (timer.ValueKind != JsonValueKind.Object)
                {
                    throw new JsonException("The timer binding value must be a timer object.");
                }

                var pastDue = timer.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
                await pipeline.HousekeepAsync(token).ConfigureAwait(false);
                var plan = await pipeline.PlanAsync(ScanRequest.AllSubscriptions, token).ConfigureAwait(false);
                response.Outputs[FunctionNames.Bindings.Batches] = plan.Batches.Select(ScanBatchJson.Serialize).ToList();
                response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"Scan {plan.ScanId} planned: {plan.Batches.Sum(b => b.Resources.Count)} resources in {plan.Batches.Count} batches{(pastDue ? " (the timer was past due)" : string.Empty)}."));
            }));

        routes.MapPost($"/{FunctionNames.StartScan}", (HttpContext context, ScanPipeline pipeline) =>
            InvokeAsync(context, async (request, response, token) =>
            {
                var http = request.BindingAsJson(FunctionNames.Bindings.Request);
                var body = http.ValueKind == JsonValueKind.Object && http.TryGetProperty("Body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
                if (!ScanStartRequest.TryParse(body, out var scanRequest, out var error))
                {
                    response.Outputs[FunctionNames.Bindings.Response] = HttpOutput(StatusCodes.Status400BadRequest, Problems.ContentType, JsonSerializer.Serialize(new { title = "Bad request", status = 400, detail = error }));
                    return;
                }

                var plan = await pipeline.PlanAsync(scanRequest, token).ConfigureAwait(false);
                response.Outputs[FunctionNames.Bindings.Batches] = plan.Batches.Select(ScanBatchJson.Serialize).ToList();
                response.Outputs[FunctionNames.Bindings.Response] = HttpOutput(
                    StatusCodes.Status202Accepted,
                    "application/json",
                    JsonSerializer.Serialize(ScanStartRequest.Accepted(plan), JsonSerializerOptions.Web),
                    $"/api/scans/{plan.ScanId}");
                response.Logs.Add($"On-demand scan {plan.ScanId} planned in {plan.Batches.Count} batches.");
            }));

        routes.MapPost($"/{FunctionNames.CheckMachines}", (HttpContext context, ScanPipeline pipeline, IOptions<ScanQueueOptions> queue) =>
            InvokeAsync(context, async (request, response, token) =>
            {
                var batch = ScanBatchJson.Deserialize(request.BindingAsText(FunctionNames.Bindings.Batch));
                BatchOutcome outcome;
                try
                {
                    outcome = await pipeline.RunBatchAsync(batch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException && DequeueCount(request) >= queue.Value.MaxDequeueCount)
                {
                    // The host moves the message to the poison queue after this failure; recorded as given up, its scan
                    // can end. The failure still fails the invocation.
                    await pipeline.AbandonBatchAsync(batch, ComplianceScanner.Describe(ex), token).ConfigureAwait(false);
                    throw;
                }

                response.Logs.Add(string.Create(CultureInfo.InvariantCulture, $"Scan {batch.ScanId}: batch {batch.Index + 1} of {batch.Count}: {outcome.Recorded.Recorded} recorded, {outcome.Recorded.Stale} stale{(outcome.FinishedScan ? "; scan finished" : string.Empty)}."));
            }));

        routes.MapPost($"/{FunctionNames.ResourceChanged}", (HttpContext context, ResourceChangeProcessor processor) =>
            InvokeAsync(context, async (request, response, token) =>
            {
                var change = ResourceEventReader.Read(request.BindingAsJson(FunctionNames.Bindings.Event));
                var outcome = await processor.ProcessAsync(change, token).ConfigureAwait(false);
                response.Logs.Add($"Event {change.EventId}: {(outcome.Duplicate ? "already handled" : outcome.Decision.ToString())} ({outcome.Reason}).");
            }));
    }

    private static async Task<IResult> InvokeAsync(HttpContext context, Func<InvocationRequest, InvocationResponse, CancellationToken, Task> handle)
    {
        InvocationRequest request;
        try
        {
            request = await InvocationRequest.ReadAsync(context.Request.Body, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The invocation is not a custom-handler payload: {ex.Message}");
        }

        var response = new InvocationResponse();
        try
        {
            await handle(request, response, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The invocation's input is not what the binding delivers: {ex.Message}");
        }

        return Results.Json(response);
    }

    // The queue trigger's metadata: how many times the host has delivered this message (1 on the first delivery).
    private static long DequeueCount(InvocationRequest request)
    {
        if (request.Metadata.ValueKind == JsonValueKind.Object && request.Metadata.TryGetProperty("DequeueCount", out var count))
        {
            if (count.ValueKind == JsonValueKind.Number && count.TryGetInt64(out var number))
            {
                return number;
            }

            if (count.ValueKind == JsonValueKind.String && long.TryParse(count.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return number;
            }
        }

        return 0;
    }

    // The http output binding's shape: statusCode, headers, body (a string, so the host sends it as is).
    private static Dictionary<string, object?> HttpOutput(int status, string contentType, string body, string? location = null)
    {
        var headers = new Dictionary<string, string> { ["Content-Type"] = contentType };
        if (location is not null)
        {
            headers["Location"] = location;
        }

        return new Dictionary<string, object?> { ["statusCode"] = status, ["headers"] = headers, ["body"] = body };
    }
}
