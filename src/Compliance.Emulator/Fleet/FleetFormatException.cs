using System.Text.Json;

namespace Compliance.Emulator;

/// <summary>
/// A fleet file that is not JSON or breaks a rule of the fleet format. The message names the file,
/// the JSON path (e.g. <c>$.subscriptions[0].virtualMachines[2].powerState</c>) or the line and
/// byte position, and what is wrong.
/// </summary>
public sealed class FleetFormatException : Exception
{
    /// <summary>Creates an exception with a generic message.</summary>
    public FleetFormatException()
        : base("The fleet document is invalid.")
    {
    }

    /// <summary>Creates an exception with the given message.</summary>
    public FleetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with the given message and cause.</summary>
    public FleetFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    private FleetFormatException(string message, string sourceName, string? jsonPath, long? lineNumber, long? bytePositionInLine, Exception? innerException)
        : base(message, innerException)
    {
        SourceName = sourceName;
        JsonPath = jsonPath;
        LineNumber = lineNumber;
        BytePositionInLine = bytePositionInLine;
    }

    /// <summary>The name of the file the error is in, when known.</summary>
    public string? SourceName { get; }

    /// <summary>The JSON path of the offending value, for errors of content.</summary>
    public string? JsonPath { get; }

    /// <summary>The 1-based line of a JSON syntax error.</summary>
    public long? LineNumber { get; }

    /// <summary>The 1-based byte position within <see cref="LineNumber"/> of a JSON syntax error.</summary>
    public long? BytePositionInLine { get; }

    internal static FleetFormatException AtPath(string sourceName, string jsonPath, string problem) =>
        new($"{sourceName}: {jsonPath}: {problem}", sourceName, jsonPath, null, null, null);

    internal static FleetFormatException Syntax(string sourceName, JsonException error)
    {
        // System.Text.Json counts from 0; editors count from 1.
        long? line = error.LineNumber + 1;
        long? position = error.BytePositionInLine + 1;
        var detail = error.Message;
        var cut = detail.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            detail = detail[..cut];
        }

        var where = line is null ? "" : $" at line {line}, byte position {position}";
        return new FleetFormatException($"{sourceName}: invalid JSON{where}: {detail}", sourceName, null, line, position, error);
    }
}
