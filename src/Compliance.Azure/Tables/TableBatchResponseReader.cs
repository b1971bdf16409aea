using System.Text;
using System.Text.RegularExpressions;
using Azure.Core;

namespace Compliance.Azure.Tables;

/// <summary>
/// Reads the <c>multipart/mixed</c> answer to a <c>$batch</c> request into one <see cref="TableSubResponse"/> per part.
/// Line-based and lenient about layout: both line endings, nested changesets, and text before the status line (Azurite
/// writes a stray boundary there in some errors).
/// </summary>
internal static partial class TableBatchResponseReader
{
    public static List<TableSubResponse> Read(string? contentType, byte[] body, string clientRequestId)
    {
        var lines = Encoding.UTF8.GetString(body).Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var boundary = Boundary(contentType) ?? lines.FirstOrDefault(line => line.StartsWith("--", StringComparison.Ordinal))?[2..];
        var responses = new List<TableSubResponse>();
        if (boundary is not null)
        {
            ReadMultipart(lines, boundary, clientRequestId, responses);
        }

        return responses;
    }

    /// <summary>The zero-based action index the service puts before an error message of a failed transaction ("37:…").</summary>
    public static int? IndexFromMessage(string? message)
    {
        var match = message is null ? null : IndexPrefix().Match(message);
        return match is { Success: true } && int.TryParse(match.Groups[1].ValueSpan, out var index) ? index : null;
    }

    private static void ReadMultipart(List<string> lines, string boundary, string clientRequestId, List<TableSubResponse> responses)
    {
        var delimiter = "--" + boundary;
        List<string>? part = null;
        foreach (var line in lines)
        {
            if (line == delimiter || line == delimiter + "--")
            {
                if (part is not null)
                {
                    ReadPart(part, clientRequestId, responses);
                }

                part = line == delimiter ? [] : null;
                if (part is null)
                {
                    return;
                }
            }
            else
            {
                part?.Add(line);
            }
        }

        if (part is not null)
        {
            ReadPart(part, clientRequestId, responses);
        }
    }

    private static void ReadPart(List<string> part, string clientRequestId, List<TableSubResponse> responses)
    {
        var start = part.FindIndex(line => line.Length > 0);
        if (start < 0)
        {
            return;
        }

        var blank = part.FindIndex(start, line => line.Length == 0);
        var headerLines = part.GetRange(start, (blank < 0 ? part.Count : blank) - start);
        var rest = blank < 0 ? [] : part.GetRange(blank + 1, part.Count - blank - 1);
        var contentType = Headers(headerLines).FirstOrDefault(h => h.Name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value;
        if (contentType is not null && contentType.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) && Boundary(contentType) is { } nested)
        {
            ReadMultipart(rest, nested, clientRequestId, responses);
            return;
        }

        var statusLine = rest.FindIndex(line => line.StartsWith("HTTP/", StringComparison.Ordinal));
        if (statusLine < 0)
        {
            return;
        }

        var status = rest[statusLine].Split(' ', 3);
        if (status.Length < 2 || !int.TryParse(status[1], out var code))
        {
            return;
        }

        var headersEnd = rest.FindIndex(statusLine + 1, line => line.Length == 0);
        var headers = Headers(rest.GetRange(statusLine + 1, (headersEnd < 0 ? rest.Count : headersEnd) - statusLine - 1));
        var content = headersEnd < 0 ? string.Empty : string.Join("\n", rest.Skip(headersEnd + 1)).Trim();
        responses.Add(new TableSubResponse(code, status.Length > 2 ? status[2] : string.Empty, headers, Encoding.UTF8.GetBytes(content), clientRequestId));
    }

    private static List<HttpHeader> Headers(IEnumerable<string> lines)
    {
        var headers = new List<HttpHeader>();
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers.Add(new HttpHeader(line[..colon].Trim(), line[(colon + 1)..].Trim()));
            }
        }

        return headers;
    }

    private static string? Boundary(string? contentType)
    {
        var match = contentType is null ? null : BoundaryParameter().Match(contentType);
        return match is { Success: true } ? match.Groups[1].Value.Trim('"') : null;
    }

    [GeneratedRegex(@"boundary=(""[^""]+""|[^;\s]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BoundaryParameter();

    [GeneratedRegex(@"^\s*(\d+):", RegexOptions.CultureInvariant)]
    private static partial Regex IndexPrefix();
}
