using System.Text.Json;

namespace Compliance.Testing;

/// <summary>One function of <see cref="FunctionsMetadata"/>.</summary>
public sealed record FunctionEntry(string Name, string ScriptFile, string EntryPoint, IReadOnlyList<FunctionBinding> Bindings)
{
    /// <summary>The one binding that triggers the function.</summary>
    public FunctionBinding Trigger => Assert.Single(Bindings, b => b.Direction == "In" && b.Type.EndsWith("Trigger", StringComparison.Ordinal));

    internal static FunctionEntry Read(JsonElement element) => new(
        element.GetProperty("name").GetString()!,
        element.GetProperty("scriptFile").GetString()!,
        element.GetProperty("entryPoint").GetString()!,
        [.. element.GetProperty("bindings").EnumerateArray().Select(FunctionBinding.Read)]);
}
