using System.Text;
using System.Text.Json;

namespace Compliance.Testing;

/// <summary>One request as the loopback receiver saw it: headers are keyed case-insensitively.</summary>
public sealed record ReceivedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    /// <summary>The body as UTF-8 text.</summary>
    public string Text => Encoding.UTF8.GetString(Body);

    public string Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The request has no {name} header.");

    /// <summary>The body's only event; fails the test unless the body is a JSON array of exactly one object.</summary>
    public JsonElement SingleEvent()
    {
        using var document = JsonDocument.Parse(Body);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        var only = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Object, only.ValueKind);
        return only.Clone();
    }

    /// <summary>The events the body carries: each one of an Event Grid batch (an array), or a webhook's one CloudEvent.</summary>
    public IReadOnlyList<JsonElement> Events()
    {
        using var document = JsonDocument.Parse(Body);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Array ? [.. root.EnumerateArray().Select(e => e.Clone())] : [root.Clone()];
    }
}
