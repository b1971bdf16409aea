using System.Text.Json;

namespace Compliance.Emulator.Arm;

/// <summary>
/// The body of a Run Command POST: <c>{"commandId","script":[...],"parameters":[{"name","value"}]}</c>.
/// </summary>
internal sealed record RunCommandRequestBody(
    string CommandId,
    IReadOnlyList<string> Script,
    IReadOnlyList<KeyValuePair<string, string>> Parameters)
{
    /// <summary>Parses the body, or returns <see langword="null"/> and says what is wrong with it.</summary>
    public static RunCommandRequestBody? Parse(ReadOnlyMemory<byte> body, out string problem)
    {
        problem = "";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            problem = $"the body is not JSON ({e.Message})";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the body must be a JSON object";
                return null;
            }

            if (!root.TryGetProperty("commandId", out var commandId) || commandId.ValueKind != JsonValueKind.String
                || commandId.GetString() is not { Length: > 0 } id)
            {
                problem = "'commandId' is required and must be a string";
                return null;
            }

            var script = new List<string>();
            if (root.TryGetProperty("script", out var lines) && lines.ValueKind != JsonValueKind.Null)
            {
                if (lines.ValueKind != JsonValueKind.Array || lines.EnumerateArray().Any(l => l.ValueKind != JsonValueKind.String))
                {
                    problem = "'script' must be an array of strings";
                    return null;
                }

                script.AddRange(lines.EnumerateArray().Select(l => l.GetString() ?? ""));
            }

            var parameters = new List<KeyValuePair<string, string>>();
            if (root.TryGetProperty("parameters", out var items) && items.ValueKind != JsonValueKind.Null)
            {
                if (items.ValueKind != JsonValueKind.Array)
                {
                    problem = "'parameters' must be an array";
                    return null;
                }

                foreach (var item in items.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object
                        || !item.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                        || !item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
                    {
                        problem = "each parameter must be an object with string 'name' and 'value'";
                        return null;
                    }

                    parameters.Add(new KeyValuePair<string, string>(name.GetString() ?? "", value.GetString() ?? ""));
                }
            }

            return new RunCommandRequestBody(id, script, parameters);
        }
    }
}
