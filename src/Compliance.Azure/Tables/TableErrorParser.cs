using System.Text.Json;
using System.Xml;
using System.Xml.Linq;
using Azure;
using Azure.Core;

namespace Compliance.Azure.Tables;

/// <summary>
/// Reads the Table service's errors into <see cref="RequestFailedException.ErrorCode"/> and the exception message: the
/// OData JSON form (<c>{"odata.error":{"code":…,"message":{"value":…}}}</c>), the XML form that authentication failures
/// use, or only the <c>x-ms-error-code</c> header.
/// </summary>
/// <param name="context">What was being done, put before the service's message (e.g. which transaction action).</param>
internal sealed class TableErrorParser(string? context = null) : RequestFailedDetailsParser
{
    public override bool TryParse(Response response, out ResponseError? error, out IDictionary<string, string>? data)
    {
        ArgumentNullException.ThrowIfNull(response);
        data = null;
        var (code, message) = Read(response);
        if (code is null && message is null)
        {
            error = null;
            return false;
        }

        message = Explain(response.Status, code, message);
        error = new ResponseError(code, context is null ? message : $"{context}: {message}");
        return true;
    }

    /// <summary>The service's error code and message, as sent.</summary>
    internal static (string? Code, string? Message) Read(Response response)
    {
        var (code, message) = ReadBody(response);
        if (code is null && response.Headers.TryGetValue("x-ms-error-code", out var header) && !string.IsNullOrEmpty(header))
        {
            code = header;
        }

        return (code, message);
    }

    private static (string? Code, string? Message) ReadBody(Response response)
    {
        BinaryData content;
        try
        {
            content = response.Content;
        }
        catch (InvalidOperationException)
        {
            // A streamed body cannot be read again; the header still carries the code.
            return (null, null);
        }

        var text = content.ToString().TrimStart();
        try
        {
            if (text.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(text);
                if (json.RootElement.TryGetProperty("odata.error", out var odataError) && odataError.ValueKind == JsonValueKind.Object)
                {
                    var code = odataError.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    string? message = null;
                    if (odataError.TryGetProperty("message", out var m))
                    {
                        message = m.ValueKind switch
                        {
                            JsonValueKind.String => m.GetString(),
                            JsonValueKind.Object when m.TryGetProperty("value", out var v) && v.ValueKind == JsonValueKind.String => v.GetString(),
                            _ => null,
                        };
                    }

                    return (NullIfEmpty(code), message);
                }
            }
            else if (text.StartsWith('<'))
            {
                var root = XDocument.Parse(text).Root;
                if (root is not null && root.Name.LocalName == "Error")
                {
                    var code = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Code")?.Value;
                    var message = root.Elements().FirstOrDefault(e => e.Name.LocalName == "Message")?.Value;
                    return (NullIfEmpty(code), message);
                }
            }
        }
        catch (JsonException)
        {
            return (null, null);
        }
        catch (XmlException)
        {
            return (null, null);
        }

        return (null, null);
    }

    private static string Explain(int status, string? code, string? message)
    {
        message = message?.Trim();
        if (status == 412 || code == "UpdateConditionNotSatisfied")
        {
            return "The entity was changed since it was read: its current ETag no longer matches the If-Match ETag sent with "
                + "this request, so the write was refused (optimistic concurrency). Read the entity again and retry."
                + (string.IsNullOrEmpty(message) ? string.Empty : $" Service message: {message}");
        }

        return string.IsNullOrEmpty(message) ? $"The Table service refused the request ({code})." : message;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
