using System.Text.Json;

namespace Compliance.Testing;

/// <summary>One binding of a <see cref="FunctionEntry"/>; the properties a binding of its type has, the others null.</summary>
public sealed record FunctionBinding(
    string Name,
    string Direction,
    string Type,
    string? QueueName,
    string? Connection,
    string? Schedule,
    string? AuthLevel,
    string? Route,
    IReadOnlyList<string> Methods)
{
    /// <summary>The setting a <c>%NAME%</c> value names, or null for a literal.</summary>
    public static string? SettingOf(string? value) =>
        value is { Length: > 2 } && value[0] == '%' && value[^1] == '%' ? value[1..^1] : null;

    internal static FunctionBinding Read(JsonElement element)
    {
        string? Text(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        var methods = element.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString()!).ToList()
            : [];
        return new FunctionBinding(Text("name")!, Text("direction")!, Text("type")!, Text("queueName"), Text("connection"), Text("schedule"), Text("authLevel"), Text("route"), methods);
    }
}
