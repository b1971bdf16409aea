using System.Text.Json;

namespace Compliance.Emulator.Tests;

/// <summary>
/// A request that <see cref="WebhookReceiver"/> received.
/// </summary>
internal sealed record ReceivedWebhook(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The body's only event; fails the test unless the body is a JSON array of exactly one object.</summary>
    public JsonElement SingleEvent()
    {
        using var document = JsonDocument.Parse(Body);
        Assert.Equal(JsonValueKind.Array, document.RootElement.ValueKind);
        var only = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(JsonValueKind.Object, only.ValueKind);
        return only.Clone();
    }
}
