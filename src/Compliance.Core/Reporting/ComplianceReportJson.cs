using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Compliance.Core.Reporting;

/// <summary>Reads and writes the report format as JSON.</summary>
public static class ComplianceReportJson
{
    /// <summary>The serializer settings of the report format: camelCase, nulls written, indented.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // The default encoder also escapes <, >, & and ': guest strings stay inert if a report is pasted into HTML.
        Encoder = JavaScriptEncoder.Default,
    };

    /// <summary>Writes <paramref name="report"/> to <paramref name="stream"/>.</summary>
    public static Task WriteAsync(Stream stream, ComplianceReport report, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, report, Options, cancellationToken);

    /// <summary>The report as a JSON string.</summary>
    public static string Serialize(ComplianceReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads a report; evidence values come back as <see cref="JsonElement"/>s.</summary>
    /// <exception cref="JsonException">The text is not a report.</exception>
    public static ComplianceReport Deserialize(string json) =>
        JsonSerializer.Deserialize<ComplianceReport>(json, Options) ?? throw new JsonException("The report is empty.");
}
