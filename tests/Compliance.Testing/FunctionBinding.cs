using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Testing;

/// <summary>
/// One binding of a <see cref="FunctionEntry"/>: its name, type and direction, its string properties (queueName,
/// connection, schedule, authLevel, route, ...) and, for an HTTP trigger, its methods.
/// </summary>
public sealed partial record FunctionBinding(string Name, string Type, string Direction, IReadOnlyDictionary<string, string> Properties, IReadOnlyList<string> Methods)
{
    public bool IsTrigger => Direction.Equals("In", StringComparison.OrdinalIgnoreCase) && Type.EndsWith("Trigger", StringComparison.Ordinal);

    public string? QueueName => Properties.GetValueOrDefault("queueName");

    public string? Connection => Properties.GetValueOrDefault("connection");

    public string? Schedule => Properties.GetValueOrDefault("schedule");

    public string? AuthLevel => Properties.GetValueOrDefault("authLevel");

    public string? Route => Properties.GetValueOrDefault("route");

    /// <summary>Every <c>%NAME%</c> app setting the host resolves in one of the binding's properties.</summary>
    public IEnumerable<(string Property, string Setting)> SettingReferences =>
        Properties.SelectMany(p => SettingReference().Matches(p.Value).Select(m => (p.Key, m.Groups[1].Value)));

    /// <summary>The setting a value that is exactly <c>%NAME%</c> names, or null for anything else.</summary>
    public static string? SettingOf(string? value) =>
        value is { Length: > 2 } && value[0] == '%' && value[^1] == '%' ? value[1..^1] : null;

    internal static FunctionBinding Read(JsonElement binding)
    {
        var properties = binding.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("name" or "type" or "direction"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        var methods = binding.TryGetProperty("methods", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().Select(x => x.GetString()!).ToList()
            : [];
        return new FunctionBinding(Text(binding, "name"), Text(binding, "type"), Text(binding, "direction"), properties, methods);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
