using System.Text.Json;

namespace Compliance.Testing;

/// <summary>One function of <see cref="FunctionsMetadata"/>: its name, the worker runtime it runs on, its entry point and its bindings.</summary>
public sealed record FunctionEntry(string Name, string Language, string ScriptFile, string EntryPoint, IReadOnlyList<FunctionBinding> Bindings)
{
    public IEnumerable<FunctionBinding> Triggers => Bindings.Where(b => b.IsTrigger);

    /// <summary>The one binding that triggers the function; fails the test unless there is exactly one.</summary>
    public FunctionBinding Trigger => Assert.Single(Triggers);

    internal static FunctionEntry Read(JsonElement element)
    {
        string Text(string name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : string.Empty;
        return new FunctionEntry(Text("name"), Text("language"), Text("scriptFile"), Text("entryPoint"), [.. element.GetProperty("bindings").EnumerateArray().Select(FunctionBinding.Read)]);
    }
}
