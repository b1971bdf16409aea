using System.Text.Json;

namespace Compliance.Infra.Tests;

/// <summary>One function of <c>functions.metadata</c>: its name, the worker runtime it runs on, and its bindings.</summary>
internal sealed record FunctionDefinition(string Name, string Language, IReadOnlyList<FunctionBinding> Bindings)
{
    public IEnumerable<FunctionBinding> Triggers => Bindings.Where(b => b.IsTrigger);

    /// <summary>Every function of a <c>functions.metadata</c> document (a JSON array of functions).</summary>
    public static IReadOnlyList<FunctionDefinition> ReadAll(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(function => new FunctionDefinition(
                function.GetProperty("name").GetString()!,
                function.TryGetProperty("language", out var language) ? language.GetString() ?? string.Empty : string.Empty,
                function.GetProperty("bindings").EnumerateArray().Select(FunctionBinding.Read).ToList()))
            .ToList();
    }
}
