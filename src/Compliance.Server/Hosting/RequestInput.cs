using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http.Features;

namespace Compliance.Server.Hosting;

/// <summary>
/// What every request must be before a handler reads it, in both hosts: text that is valid Unicode, and a body within
/// the limits. The framework decodes invalid UTF-8 in a URL to U+FFFD and carries on, so a filter or an id would be
/// silently changed: the raw target is checked instead, and a request with invalid UTF-8 (<c>%FF</c>, an encoded
/// surrogate such as <c>%ED%A0%80</c>, an overlong form) is a 400 problem. A body is refused with a 413 problem when
/// it is longer than <see cref="MaxBodyBytes"/>, and on every route but <c>POST</c>, which take none.
/// </summary>
public static class RequestInput
{
    /// <summary>
    /// The largest body any request may carry: 1 MiB (<c>compliance serve</c> sets it as Kestrel's
    /// <c>MaxRequestBodySize</c>; the only body the API reads, a scan start, is held to 64 KiB).
    /// </summary>
    public const long MaxBodyBytes = 1024 * 1024;

    /// <summary>The problem detail of invalid Unicode, for tests and callers to recognise.</summary>
    public const string InvalidUnicode = "The request holds invalid Unicode (bytes that are not UTF-8, an encoded surrogate, or U+FFFD): send the text as UTF-8.";

    /// <summary>The refusal of a request that is not fit to handle, or <c>null</c> when it is.</summary>
    public static IResult? Refusal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes)
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Body too large", string.Create(CultureInfo.InvariantCulture, $"A request body holds at most {MaxBodyBytes} bytes."));
        }

        if (!HttpMethods.IsPost(request.Method) && !IsExemptionPut(request) && (request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0))
        {
            return Problems.Result(StatusCodes.Status413PayloadTooLarge, "Body not accepted", $"{request.Method} takes no body.");
        }

        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target))
        {
            target = request.PathBase.Value + request.Path.Value + request.QueryString.Value;
        }

        return IsValidTarget(target) ? null : Problems.BadRequest(InvalidUnicode);
    }

    // The one PUT that reads a body: an exemption. Any other PUT (no route takes one) is refused before it is read.
    private static bool IsExemptionPut(HttpRequest request) =>
        HttpMethods.IsPut(request.Method) && request.Path.StartsWithSegments("/api/exemptions", StringComparison.OrdinalIgnoreCase);

    /// <summary>What a caller is told when the server refused a body as it was read (<see cref="BadHttpRequestException"/>).</summary>
    public static string BodyRefusal(BadHttpRequestException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.StatusCode == StatusCodes.Status413PayloadTooLarge
            ? string.Create(CultureInfo.InvariantCulture, $"A request body holds at most {MaxBodyBytes} bytes.")
            : "The request body could not be read (cut short, or not in the framing its headers announce).";
    }

    /// <summary>The status of an exception the exception handler writes: the server's refusals of a request keep theirs.</summary>
    public static int StatusOf(Exception exception) =>
        exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;

    /// <summary>
    /// Whether <paramref name="value"/>, as a handler got it, is text a caller meant: no lone surrogate and no U+FFFD (which
    /// is what invalid UTF-8 becomes once decoded).
    /// </summary>
    public static bool IsValidText(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a request target (path and query, percent-encoded or not) decodes to valid UTF-8 text: each run of
    /// <c>%XX</c> escapes is decoded to bytes and checked as UTF-8 together with the characters around it.
    /// </summary>
    public static bool IsValidTarget(string? target)
    {
        if (string.IsNullOrEmpty(target))
        {
            return true;
        }

        var bytes = new List<byte>(target.Length);
        Span<byte> encoded = stackalloc byte[4];
        for (var i = 0; i < target.Length; i++)
        {
            var c = target[i];
            if (c == '%' && i + 2 < target.Length && byte.TryParse(target.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var escaped))
            {
                bytes.Add(escaped);
                i += 2;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                if (!char.IsHighSurrogate(c) || i + 1 >= target.Length || !char.IsLowSurrogate(target[i + 1]))
                {
                    return false;
                }

                var length = Encoding.UTF8.GetBytes(target.AsSpan(i, 2), encoded);
                bytes.AddRange(encoded[..length]);
                i++;
                continue;
            }

            var written = Encoding.UTF8.GetBytes(target.AsSpan(i, 1), encoded);
            bytes.AddRange(encoded[..written]);
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        return Utf8.IsValid(span) && IsValidText(Encoding.UTF8.GetString(span));
    }
}
