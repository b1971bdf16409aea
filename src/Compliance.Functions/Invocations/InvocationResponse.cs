using System.Text.Json.Serialization;

namespace Compliance.Functions.Invocations;

/// <summary>
/// A custom handler's answer to an invocation: output binding values by binding name, log lines the host writes for
/// the invocation, and the return value.
/// </summary>
internal sealed class InvocationResponse
{
    [JsonPropertyName("Outputs")]
    public Dictionary<string, object?> Outputs { get; } = new(StringComparer.Ordinal);

    [JsonPropertyName("Logs")]
    public List<string> Logs { get; } = [];

    [JsonPropertyName("ReturnValue")]
    public object? ReturnValue { get; set; }
}
