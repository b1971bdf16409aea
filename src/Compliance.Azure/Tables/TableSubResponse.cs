using System.Diagnostics.CodeAnalysis;
using Azure;
using Azure.Core;

namespace Compliance.Azure.Tables;

/// <summary>One response of a <c>$batch</c> multipart body, as a <see cref="Response"/> of its own.</summary>
internal sealed class TableSubResponse : Response
{
    private readonly List<HttpHeader> _headers;

    public TableSubResponse(int status, string reasonPhrase, IEnumerable<HttpHeader> headers, byte[] content, string clientRequestId)
    {
        Status = status;
        ReasonPhrase = reasonPhrase;
        _headers = [.. headers];
        ContentStream = new MemoryStream(content, writable: false);
        ClientRequestId = clientRequestId;
    }

    public override int Status { get; }

    public override string ReasonPhrase { get; }

    public override Stream? ContentStream { get; set; }

    public override string ClientRequestId { get; set; }

    public override bool IsError => Status >= 400;

    public override void Dispose()
    {
        ContentStream?.Dispose();
    }

    protected override bool ContainsHeader(string name) => _headers.Exists(h => Is(h, name));

    protected override IEnumerable<HttpHeader> EnumerateHeaders() => _headers;

    protected override bool TryGetHeader(string name, [NotNullWhen(true)] out string? value)
    {
        var values = _headers.Where(h => Is(h, name)).Select(h => h.Value).ToList();
        value = values.Count == 0 ? null : string.Join(",", values);
        return value is not null;
    }

    protected override bool TryGetHeaderValues(string name, [NotNullWhen(true)] out IEnumerable<string>? values)
    {
        var found = _headers.Where(h => Is(h, name)).Select(h => h.Value).ToList();
        values = found.Count == 0 ? null : found;
        return values is not null;
    }

    private static bool Is(HttpHeader header, string name) => string.Equals(header.Name, name, StringComparison.OrdinalIgnoreCase);
}
