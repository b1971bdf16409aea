namespace Compliance.Azure.Tests.Webhooks;

/// <summary>One request as the loopback receiver saw it: headers are keyed case-insensitively.</summary>
internal sealed record ReceivedRequest(
    string Method,
    string Path,
    string QueryString,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body)
{
    public string Header(string name) =>
        Headers.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The request has no {name} header.");
}
