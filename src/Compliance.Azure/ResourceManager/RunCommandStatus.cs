using System.Text.Json;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// A poll of a Run Command operation: the async-operation status (<c>{"status": "InProgress|Succeeded|Failed|Canceled",
/// "properties": {"output": {"value": [...]}}, "error": {...}}</c>) or the final <c>Location</c> body
/// (<c>{"value": [...]}</c>). The body comes from the network: anything else reads as not finished.
/// </summary>
internal sealed record RunCommandStatus(bool IsTerminal, bool Succeeded, JsonElement Output, string? ErrorCode, string? ErrorMessage)
{
    private const int MaxBody = 1024 * 1024;

    public static RunCommandStatus? Read(BinaryData body)
    {
        if (body.ToMemory().Length is 0 or > MaxBody)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToMemory(), new JsonDocumentOptions { MaxDepth = 16 });
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (!root.TryGetProperty("status", out var status))
            {
                // The Location URL answers the result itself once the operation has ended.
                return root.TryGetProperty("value", out var value) ? new RunCommandStatus(true, true, value.Clone(), null, null) : null;
            }

            var state = status.ValueKind == JsonValueKind.String ? status.GetString() : null;
            if (string.Equals(state, "Succeeded", StringComparison.OrdinalIgnoreCase))
            {
                var output = root.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
                    && properties.TryGetProperty("output", out var result) && result.ValueKind == JsonValueKind.Object
                    && result.TryGetProperty("value", out var entries)
                        ? entries.Clone()
                        : default;
                return new RunCommandStatus(true, true, output, null, null);
            }

            if (string.Equals(state, "Failed", StringComparison.OrdinalIgnoreCase) || string.Equals(state, "Canceled", StringComparison.OrdinalIgnoreCase))
            {
                var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
                return new RunCommandStatus(true, false, default, Text(error, "code") ?? state, Text(error, "message"));
            }

            return new RunCommandStatus(false, false, default, null, null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The <c>value</c> array of a final <c>Location</c> answer (<c>RunCommandResult</c>: <c>{"value": [...]}</c>), or
    /// <see langword="null"/> when the body is anything else.
    /// </summary>
    public static JsonElement? ReadResult(BinaryData body)
    {
        if (body.ToMemory().Length is 0 or > MaxBody)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body.ToMemory(), new JsonDocumentOptions { MaxDepth = 16 });
            return document.RootElement is { ValueKind: JsonValueKind.Object } root
                && root.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array
                    ? value.Clone()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(JsonElement owner, string name) =>
        owner.ValueKind == JsonValueKind.Object && owner.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
