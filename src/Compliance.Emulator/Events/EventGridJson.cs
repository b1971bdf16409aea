using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Compliance.Emulator.Arm;

namespace Compliance.Emulator.Events;

/// <summary>
/// The events Event Grid writes to a storage queue for the subscription's system topic: one event per message, a
/// JSON object (not the array a webhook receives), in the Event Grid or the CloudEvents 1.0 schema with the same
/// <c>data</c>. Shapes from https://learn.microsoft.com/azure/event-grid/event-schema-subscriptions and
/// https://learn.microsoft.com/azure/event-grid/cloud-event-schema.
/// </summary>
internal static class EventGridJson
{
    private const string ManagementEndpoint = "https://management.azure.com";

    // Event Grid writes URLs with a raw '&'; the default encoder would turn it into \u0026.
    private static readonly JsonSerializerOptions _wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>An ARM resource event of the subscription's system topic, as one JSON object.</summary>
    /// <exception cref="ArgumentException">The event's resource id is not under a subscription.</exception>
    public static string Event(ResourceEvent resourceEvent, DateTimeOffset eventTime, EventDeliverySchema schema)
    {
        var segments = resourceEvent.ResourceId.Split('/');
        if (segments.Length < 3 || segments[0].Length != 0 || !string.Equals(segments[1], "subscriptions", StringComparison.OrdinalIgnoreCase) || segments[2].Length == 0)
        {
            throw new ArgumentException($"'{resourceEvent.ResourceId}' is not an ARM resource id under a subscription.", nameof(resourceEvent));
        }

        var subscriptionId = segments[2];
        var providers = Array.FindIndex(segments, s => string.Equals(s, "providers", StringComparison.OrdinalIgnoreCase));

        // Operations on resource groups themselves come from the Resources provider.
        var resourceProvider = providers > 0 && providers + 1 < segments.Length ? segments[providers + 1] : "Microsoft.Resources";

        var data = new JsonObject
        {
            ["authorization"] = new JsonObject
            {
                ["scope"] = resourceEvent.ResourceId,
                ["action"] = resourceEvent.OperationName,
                ["evidence"] = EventCallerJson.Evidence(resourceEvent.Caller, subscriptionId),
            },

            // Who called: the object id, as the receiver must tell the app's own Run Commands from anyone else's.
            ["claims"] = EventCallerJson.ClaimsOf(resourceEvent.Caller, eventTime, resourceEvent.Id),

            // Derived from the event id, so that a re-sent event is byte for byte the same, as an Event Grid retry is.
            ["correlationId"] = StableGuid.From("correlationId", resourceEvent.Id).ToString("D"),
        };
        if (HttpRequest(resourceEvent) is { } httpRequest)
        {
            data["httpRequest"] = httpRequest;
        }

        data["resourceProvider"] = resourceProvider;
        data["resourceUri"] = resourceEvent.ResourceId;
        data["operationName"] = resourceEvent.OperationName;
        data["status"] = Status(resourceEvent.EventType);
        data["subscriptionId"] = subscriptionId;
        data["tenantId"] = ArmJson.TenantId;

        var topic = ResourceIds.Subscription(subscriptionId);
        var subject = Subject(segments);
        var time = Time(eventTime);
        var message = schema == EventDeliverySchema.CloudEvents
            ? new JsonObject
            {
                ["specversion"] = "1.0",
                ["type"] = resourceEvent.EventType,
                ["source"] = topic,
                ["id"] = resourceEvent.Id,
                ["time"] = time,
                ["subject"] = subject,
                ["data"] = data,
            }
            : new JsonObject
            {
                ["subject"] = subject,
                ["eventType"] = resourceEvent.EventType,
                ["eventTime"] = time,
                ["id"] = resourceEvent.Id,
                ["data"] = data,
                ["dataVersion"] = "2",
                ["metadataVersion"] = "1",
                ["topic"] = topic,
            };
        return message.ToJsonString(_wire);
    }

    /// <summary>Event Grid's time format: UTC with seven fractional digits and a 'Z'.</summary>
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // Microsoft's samples spell the subject with "resourcegroups" while ARM ids say "resourceGroups"; sending both
    // spellings makes receivers that compare ids case-sensitively fail here rather than in Azure.
    private static string Subject(string[] segments)
    {
        var subject = (string[])segments.Clone();
        if (subject.Length > 3 && string.Equals(subject[3], "resourceGroups", StringComparison.OrdinalIgnoreCase))
        {
            subject[3] = "resourcegroups";
        }

        return string.Join('/', subject);
    }

    // ARM adds the request it answered to delete and action events, not to write events.
    private static JsonObject? HttpRequest(ResourceEvent resourceEvent)
    {
        string method;
        var url = resourceEvent.ResourceId;
        if (resourceEvent.EventType.StartsWith("Microsoft.Resources.ResourceDelete", StringComparison.Ordinal))
        {
            method = "DELETE";
        }
        else if (resourceEvent.EventType.StartsWith("Microsoft.Resources.ResourceAction", StringComparison.Ordinal))
        {
            method = "POST";
            var operation = resourceEvent.OperationName.Split('/');
            if (operation.Length >= 2 && string.Equals(operation[^1], "action", StringComparison.OrdinalIgnoreCase))
            {
                url = $"{url}/{operation[^2]}";
            }
        }
        else
        {
            return null;
        }

        return new JsonObject
        {
            ["clientRequestId"] = StableGuid.From("clientRequestId", resourceEvent.Id).ToString("D"),
            ["clientIpAddress"] = "127.0.0.1",
            ["method"] = method,
            ["url"] = $"{ManagementEndpoint}{url}?api-version={RunCommandEndpoints.OperationApiVersion}",
        };
    }

    private static string Status(string eventType) =>
        eventType.EndsWith("Failure", StringComparison.Ordinal) ? "Failed"
        : eventType.EndsWith("Cancel", StringComparison.Ordinal) ? "Canceled"
        : "Succeeded";
}
