using System.Text.Json;

namespace Compliance.Infra.Tests;

/// <summary>One <c>Functions/NAME/function.json</c>: the function's name, its trigger, the setting its schedule names and its queues.</summary>
internal sealed record FunctionDefinition(string Name, string Trigger, string? ScheduleSetting, IReadOnlyList<string> Queues)
{
    public static FunctionDefinition Read(string path, string json)
    {
        var name = path[InfraDocuments.FunctionsFolder.Length..].Split('/')[0];
        using var document = JsonDocument.Parse(json);
        var bindings = document.RootElement.GetProperty("bindings").EnumerateArray().ToList();
        var trigger = bindings.Single(b => b.GetProperty("direction").GetString() == "in" && b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
        var schedule = trigger.TryGetProperty("schedule", out var s) && s.GetString() is { } text && text.StartsWith('%') ? text.Trim('%') : null;
        var queues = bindings.Where(b => b.TryGetProperty("queueName", out _)).Select(b => b.GetProperty("queueName").GetString()!).ToList();
        return new FunctionDefinition(name, trigger.GetProperty("type").GetString()!, schedule, queues);
    }
}
