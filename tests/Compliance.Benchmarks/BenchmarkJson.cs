using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Benchmarks;

/// <summary>How the parent and its workers talk: camelCase JSON, enums by name.</summary>
internal static class BenchmarkJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
