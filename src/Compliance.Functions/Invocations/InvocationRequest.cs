using System.Text.Json;

namespace Compliance.Functions.Invocations;

/// <summary>
/// What the Functions host posts to a custom handler for a non-HTTP trigger: <c>{"Data": {binding: value},
/// "Metadata": {...}}</c>. The host sends a binding value as an object when it can and as a JSON-encoded string
/// otherwise (queue messages always arrive as strings), so a value is read either way.
/// </summary>
internal sealed class InvocationRequest
{
    private readonly JsonElement _data;

    private InvocationRequest(JsonElement data, JsonElement metadata)
    {
        _data = data;
        Metadata = metadata;
    }

    /// <summary>The <c>Metadata</c> object (trigger metadata and <c>sys</c>), or an undefined element.</summary>
    public JsonElement Metadata { get; }

    /// <summary>Reads an invocation; a body that is not one is a <see cref="JsonException"/>.</summary>
    public static async Task<InvocationRequest> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        using var document = await JsonDocument.ParseAsync(body, new JsonDocumentOptions { MaxDepth = 64 }, cancellationToken).ConfigureAwait(false);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("Data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The invocation has no \"Data\" object.");
        }

        var metadata = root.TryGetProperty("Metadata", out var m) ? m.Clone() : default;
        return new InvocationRequest(data.Clone(), metadata);
    }

    /// <summary>
    /// The raw value of a binding; a <see cref="JsonException"/> when the invocation lacks it. Our functions have one
    /// input (their trigger), so when the name is absent the single value <c>Data</c> holds is taken: a binding renamed
    /// in <c>function.json</c> then still works.
    /// </summary>
    public JsonElement Binding(string name)
    {
        if (_data.TryGetProperty(name, out var value) || TrySingle(out value))
        {
            return value.ValueKind != JsonValueKind.Null
                ? value
                : throw new JsonException($"The invocation's \"{name}\" binding value is null.");
        }

        throw new JsonException($"The invocation has no \"{name}\" binding value.");
    }

    /// <summary>A binding value as a JSON document: an object as is, a string parsed as JSON.</summary>
    public JsonElement BindingAsJson(string name)
    {
        var value = Binding(name);
        if (value.ValueKind != JsonValueKind.String)
        {
            return value;
        }

        using var parsed = JsonDocument.Parse(value.GetString() ?? string.Empty, new JsonDocumentOptions { MaxDepth = 64 });
        return parsed.RootElement.Clone();
    }

    private bool TrySingle(out JsonElement value)
    {
        value = default;
        var count = 0;
        foreach (var property in _data.EnumerateObject())
        {
            value = property.Value;
            count++;
        }

        return count == 1;
    }

    /// <summary>A binding value as text: a string as is, anything else as its JSON.</summary>
    public string BindingAsText(string name)
    {
        var value = Binding(name);
        return value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty : value.GetRawText();
    }
}
