using System.Text.Json;
using System.Text.RegularExpressions;

namespace Compliance.Infra.Tests;

/// <summary>One binding of a function in <c>functions.metadata</c>: its name, type, direction and string properties.</summary>
internal sealed partial record FunctionBinding(string Name, string Type, string Direction, IReadOnlyDictionary<string, string> Properties)
{
    public bool IsTrigger =>
        Direction.Equals("In", StringComparison.OrdinalIgnoreCase) && Type.EndsWith("Trigger", StringComparison.Ordinal);

    public string? QueueName => Properties.GetValueOrDefault("queueName");

    public string? Connection => Properties.GetValueOrDefault("connection");

    /// <summary>Every <c>%NAME%</c> app setting the host resolves in one of the binding's properties.</summary>
    public IEnumerable<(string Property, string Setting)> SettingReferences =>
        Properties.SelectMany(p => SettingReference().Matches(p.Value).Select(m => (p.Key, m.Groups[1].Value)));

    public static FunctionBinding Read(JsonElement binding)
    {
        var properties = binding.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Name is not ("name" or "type" or "direction"))
            .ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return new FunctionBinding(Text(binding, "name"), Text(binding, "type"), Text(binding, "direction"), properties);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;

    [GeneratedRegex("%([^%]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
