using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Compliance.Testing;

/// <summary>
/// The sample Azure subscription events of Microsoft's documentation, REST API specification and SDK tests, in the
/// Event Grid and the CloudEvents schema (<c>SampleEvents/</c>, whose <c>SOURCES.md</c> names the source of each), and
/// renders them about another resource so that tests feed the service events shaped as Azure sends them.
/// </summary>
public static class SampleEvent
{
    /// <summary>The name ARM gives the caller's object id in <c>data.claims</c>.</summary>
    public const string ObjectIdClaim = "http://schemas.microsoft.com/identity/claims/objectidentifier";

    private const string Prefix = "SampleEvents/";

    private static readonly Assembly _assembly = typeof(SampleEvent).Assembly;

    // Event Grid writes URLs with a raw '&'; keep the samples' characters as they are.
    private static readonly JsonSerializerOptions _wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Every sample's name, e.g. <c>eventgrid-write-success.docs.json</c>, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = _assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>The sample as stored: an event, or an array of one event as the documentation shows a delivery.</summary>
    /// <exception cref="ArgumentException">There is no sample of that name.</exception>
    public static string Load(string name)
    {
        using var stream = _assembly.GetManifestResourceStream(Prefix + name)
            ?? throw new ArgumentException($"There is no sample event '{name}'; there are {string.Join(", ", Names)}.", nameof(name));
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Whether the sample is in the CloudEvents 1.0 schema (<c>specversion</c>) rather than Event Grid's.</summary>
    public static bool IsCloudEvent(string name) => Events(JsonNode.Parse(Load(name))).All(IsCloudEvent);

    /// <summary>
    /// The sample with <paramref name="edit"/> applied, in the sample's shape (an event or an array of events) and
    /// schema; every field <paramref name="edit"/> does not name stays as the sample has it.
    /// </summary>
    /// <exception cref="ArgumentException">The resource id is not an ARM id under a subscription.</exception>
    /// <exception cref="InvalidOperationException">The edit names a caller and the sample has no claims object to put it in.</exception>
    public static string Render(string name, SampleEventEdit edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        var resource = ArmId.Parse(edit.ResourceId);
        var root = JsonNode.Parse(Load(name)) ?? throw new InvalidOperationException($"Sample '{name}' is empty.");
        foreach (var sample in Events(root))
        {
            Apply(sample, resource, edit);
        }

        return root.ToJsonString(_wire);
    }

    private static void Apply(JsonObject sample, ArmId resource, SampleEventEdit edit)
    {
        var data = sample["data"] as JsonObject;
        var authorization = data?["authorization"] as JsonObject;
        var httpRequest = data?["httpRequest"] as JsonObject;

        // What the url's path adds to the old resource (e.g. "/listKeys") is found before the resource changes.
        var oldResources = new[] { Text(data, "resourceUri"), Text(authorization, "scope"), Text(sample, "subject") };
        var urlSuffix = httpRequest is null ? null : UrlSuffix(Text(httpRequest, "url"), oldResources);

        Replace(sample, "subject", old => resource.Spelled(old));
        Replace(data, "resourceUri", old => resource.Spelled(old));
        Replace(authorization, "scope", old => resource.Spelled(old));
        Replace(sample, IsCloudEvent(sample) ? "source" : "topic", resource.Topic);
        Replace(data, "subscriptionId", _ => resource.SubscriptionId);
        Replace(data, "resourceProvider", _ => resource.Provider);

        var eventTypeField = IsCloudEvent(sample) ? "type" : "eventType";
        if (edit.EventType is { } eventType)
        {
            sample[eventTypeField] = eventType;
        }

        if (edit.OperationName is { } operationName)
        {
            Replace(data, "operationName", _ => operationName);
            Replace(authorization, "action", _ => operationName);

            // The request ARM answered: an action posts to the resource's action path.
            urlSuffix = operationName.EndsWith("/action", StringComparison.OrdinalIgnoreCase)
                ? "/" + operationName.Split('/')[^2]
                : "";
        }

        if (httpRequest is not null)
        {
            Replace(httpRequest, "url", old => Url(old, resource.Id, urlSuffix ?? ""));
            if (edit.EventType is not null)
            {
                Replace(httpRequest, "method", old => Method(Text(sample, eventTypeField)) ?? old);
            }
        }

        if (edit.Id is { } id)
        {
            sample["id"] = id;
        }

        if (edit.CallerObjectId is { } caller)
        {
            var claims = data?["claims"] as JsonObject
                ?? throw new InvalidOperationException("The sample has no data.claims object to name a caller in.");
            claims[ObjectIdClaim] = caller;
            Replace(authorization?["evidence"] as JsonObject, "principalId", old => Guid.TryParseExact(old, "N", out _) && Guid.TryParse(caller, out var g) ? g.ToString("N") : caller);
        }
    }

    private static IEnumerable<JsonObject> Events(JsonNode? root) => root switch
    {
        JsonArray array => array.OfType<JsonObject>(),
        JsonObject single => [single],
        _ => throw new InvalidOperationException("A sample is an event or an array of events."),
    };

    // CloudEvents says "specversion"; one of Microsoft's samples spells it "specVersion".
    private static bool IsCloudEvent(JsonObject sample) => sample.Any(p => string.Equals(p.Key, "specversion", StringComparison.OrdinalIgnoreCase));

    private static string? Method(string? eventType) => eventType switch
    {
        null => null,
        _ when eventType.StartsWith("Microsoft.Resources.ResourceDelete", StringComparison.Ordinal) => "DELETE",
        _ when eventType.StartsWith("Microsoft.Resources.ResourceAction", StringComparison.Ordinal) => "POST",
        _ when eventType.StartsWith("Microsoft.Resources.ResourceWrite", StringComparison.Ordinal) => "PUT",
        _ => null,
    };

    private static string? UrlSuffix(string? url, IEnumerable<string?> oldResources)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath);
        var prefix = oldResources.FirstOrDefault(r => r is not null && path.StartsWith(r, StringComparison.OrdinalIgnoreCase));
        return prefix is null ? "" : path[prefix.Length..];
    }

    private static string Url(string old, string resourceId, string suffix)
    {
        if (!Uri.TryCreate(old, UriKind.Absolute, out var uri))
        {
            return old;
        }

        return $"{uri.Scheme}://{uri.Authority}{resourceId}{suffix}{uri.Query}";
    }

    private static void Replace(JsonObject? owner, string property, Func<string, string> change)
    {
        if (owner is not null && Text(owner, property) is { } old)
        {
            owner[property] = change(old);
        }
    }

    private static string? Text(JsonObject? owner, string property) =>
        owner?[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
