using System.Globalization;
using System.Text.Json;
using Compliance.Core.Scanning;

namespace Compliance.Server.Events;

/// <summary>
/// Reads Azure subscription events in the Event Grid schema (<c>eventType</c>, <c>eventTime</c>) or the CloudEvents 1.0
/// schema (<c>type</c>, <c>time</c>) into <see cref="ResourceChange"/>s. Events are input from the network: anything
/// that is not a well-formed resource event is refused with a <see cref="JsonException"/> naming what is wrong.
/// </summary>
internal static class ResourceEventReader
{
    private const int MaxIdLength = 256;
    private const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    /// <summary>Reads one event.</summary>
    public static ResourceChange Read(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("An event must be a JSON object.");
        }

        var id = Text(element, "id") ?? throw new JsonException("The event has no id.");
        if (id.Length > MaxIdLength)
        {
            throw new JsonException($"The event id is longer than {MaxIdLength} characters.");
        }

        var type = Text(element, "eventType") ?? Text(element, "type") ?? throw new JsonException("The event has no eventType (or type).");
        var subject = Text(element, "subject");
        var data = element.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        var resourceUri = data.ValueKind == JsonValueKind.Object ? Text(data, "resourceUri") : null;
        var operation = data.ValueKind == JsonValueKind.Object ? Text(data, "operationName") : null;

        // The subject names the resource; data.resourceUri repeats it. An event whose two disagree is not trusted.
        if (subject is not null && resourceUri is not null && !string.Equals(subject, resourceUri, StringComparison.OrdinalIgnoreCase))
        {
            throw new JsonException("The event's subject and data.resourceUri name different resources.");
        }

        var resource = subject ?? resourceUri ?? throw new JsonException("The event names no resource (subject or data.resourceUri).");
        var time = Text(element, "eventTime") ?? Text(element, "time");
        var eventTime = DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : DateTimeOffset.MinValue;
        return new ResourceChange(id, type, resource, operation, eventTime) { Caller = data.ValueKind == JsonValueKind.Object ? CallerOf(data) : null };
    }

    // Who made the change: the token's object id (data.claims, under the claim's URI name or as "oid") and the principal
    // of the role assignment that allowed it (data.authorization.evidence.principalId). Names that disagree, or a value
    // that is not a GUID, name nobody: the event is then not taken for anyone's in particular.
    private static string? CallerOf(JsonElement data)
    {
        var names = new List<string?>();
        if (data.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Object)
        {
            names.Add(Text(claims, ObjectIdClaim));
            names.Add(Text(claims, "oid"));
        }

        if (data.TryGetProperty("authorization", out var authorization) && authorization.ValueKind == JsonValueKind.Object
            && authorization.TryGetProperty("evidence", out var evidence) && evidence.ValueKind == JsonValueKind.Object)
        {
            names.Add(Text(evidence, "principalId"));
        }

        // ARM writes the evidence's ids as 32 hex digits and the claims' with hyphens: compared as GUIDs.
        var given = names.Where(n => n is not null).Select(n => Guid.TryParse(n, out var id) ? id : (Guid?)null).ToList();
        if (given.Count == 0 || given.Any(n => n is null))
        {
            return null;
        }

        var caller = given[0]!.Value;
        return given.All(n => n == caller) ? caller.ToString("D") : null;
    }

    /// <summary>Reads a delivery: an array of events (Event Grid, CloudEvents batch) or one event.</summary>
    public static IReadOnlyList<JsonElement> Events(JsonElement body) => body.ValueKind switch
    {
        JsonValueKind.Array => body.EnumerateArray().ToList(),
        JsonValueKind.Object => [body],
        _ => throw new JsonException("A delivery is an event or an array of events."),
    };

    private static string? Text(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;
}
