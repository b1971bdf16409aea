using System.Text.Json;
using Compliance.Core.Scanning;
using Compliance.Functions.Hosting;

namespace Compliance.Functions.Events;

/// <summary>
/// <c>/api/events</c> when the app runs on its own: an Event Grid webhook endpoint for the subscription's system topic.
/// It answers the subscription-validation handshake (Event Grid schema) and the CloudEvents abuse-protection
/// <c>OPTIONS</c> handshake, and handles each delivered event like the <c>ResourceChanged</c> function does. Any event
/// that fails makes the answer a 500, so Event Grid retries the delivery; handling is idempotent per event id.
/// </summary>
internal static class EventGridWebhook
{
    /// <summary>The route.</summary>
    public const string Path = "/api/events";

    private const int MaxEvents = 5000;

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods(Path, ["OPTIONS"], (HttpContext context) =>
        {
            var origin = context.Request.Headers["WebHook-Request-Origin"].ToString();
            if (origin.Length == 0)
            {
                return Problems.BadRequest("The CloudEvents handshake needs a WebHook-Request-Origin header.");
            }

            context.Response.Headers["WebHook-Allowed-Origin"] = origin;
            context.Response.Headers["WebHook-Allowed-Rate"] = "*";
            return Results.Ok();
        });

        routes.MapPost(Path, HandleAsync);
    }

    private static async Task<IResult> HandleAsync(HttpContext context, ResourceChangeProcessor processor, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(EventGridWebhook));
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, new JsonDocumentOptions { MaxDepth = 64 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Problems.BadRequest($"The body is not JSON: {ex.Message}");
        }

        using (document)
        {
            IReadOnlyList<JsonElement> events;
            try
            {
                events = ResourceEventReader.Events(document.RootElement);
            }
            catch (JsonException ex)
            {
                return Problems.BadRequest(ex.Message);
            }

            if (events.Count > MaxEvents)
            {
                return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Too many events", $"A delivery holds at most {MaxEvents} events.");
            }

            var kind = context.Request.Headers["aeg-event-type"].ToString();
            if (string.Equals(kind, "SubscriptionValidation", StringComparison.OrdinalIgnoreCase))
            {
                return Validate(events);
            }

            if (string.Equals(kind, "Unsubscribe", StringComparison.OrdinalIgnoreCase))
            {
                return Results.Ok();
            }

            var changes = new List<ResourceChange>();
            foreach (var element in events)
            {
                try
                {
                    changes.Add(ResourceEventReader.Read(element));
                }
                catch (JsonException ex)
                {
                    // Malformed events are refused whole: retrying them would not help.
                    return Problems.BadRequest($"Event {changes.Count}: {ex.Message}");
                }
            }

            var failed = 0;
            foreach (var change in changes)
            {
                try
                {
                    await processor.ProcessAsync(change, context.RequestAborted).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
                {
                    failed++;
                    EventLog.EventFailed(logger, change.EventId, ex);
                }
            }

            return failed == 0
                ? Results.Ok(new { handled = changes.Count })
                : Problems.Result(StatusCodes.Status500InternalServerError, "Some events failed", $"{failed} of {changes.Count} events failed and will be retried by Event Grid.");
        }
    }

    private static IResult Validate(IReadOnlyList<JsonElement> events)
    {
        foreach (var element in events)
        {
            if (element.ValueKind == JsonValueKind.Object
                && element.TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.Object
                && data.TryGetProperty("validationCode", out var code)
                && code.ValueKind == JsonValueKind.String)
            {
                // Event Grid accepts only 200 with the code echoed (not 202).
                return Results.Json(new { validationResponse = code.GetString() }, statusCode: StatusCodes.Status200OK);
            }
        }

        return Problems.BadRequest("The SubscriptionValidation event has no data.validationCode.");
    }
}
