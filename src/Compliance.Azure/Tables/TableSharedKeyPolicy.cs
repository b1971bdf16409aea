using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Compliance.Azure.Tables;

/// <summary>
/// Signs each attempt of a request with the Table service's <c>SharedKey</c> scheme: StringToSign =
/// VERB\nContent-MD5\nContent-Type\nDate\nCanonicalizedResource, where Date is the <c>x-ms-date</c> header and
/// CanonicalizedResource is <c>/{account}{path}</c> plus <c>?comp=…</c>. Runs per retry so that every attempt carries a
/// fresh date.
/// </summary>
internal sealed class TableSharedKeyPolicy(TableSharedKeyCredential credential) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        var date = DateTimeOffset.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        request.Headers.SetValue("x-ms-date", date);
        request.Headers.TryGetValue("Content-MD5", out var contentMd5);
        request.Headers.TryGetValue("Content-Type", out var contentType);
        var stringToSign = string.Join(
            '\n',
            request.Method.Method.ToUpperInvariant(),
            contentMd5 ?? string.Empty,
            contentType ?? string.Empty,
            date,
            CanonicalizedResource(credential.AccountName, request.Uri.ToUri()));
        request.Headers.SetValue("Authorization", $"SharedKey {credential.AccountName}:{credential.ComputeSignature(stringToSign)}");
    }

    /// <summary>
    /// The resource part of the string to sign. The path is the one on the wire (still percent-encoded); for path-style
    /// endpoints such as Azurite's it already starts with the account, which is then repeated, as the service expects.
    /// </summary>
    internal static string CanonicalizedResource(string accountName, Uri uri)
    {
        var resource = $"/{accountName}{uri.AbsolutePath}";
        foreach (var parameter in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = parameter.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? parameter : parameter[..equals];
            if (string.Equals(Uri.UnescapeDataString(name), "comp", StringComparison.OrdinalIgnoreCase))
            {
                return $"{resource}?comp={Uri.UnescapeDataString(equals < 0 ? string.Empty : parameter[(equals + 1)..])}";
            }
        }

        return resource;
    }
}
