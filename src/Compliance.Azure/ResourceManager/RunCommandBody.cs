using System.Runtime.CompilerServices;
using System.Text.Json;
using Compliance.Core.Guest;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// The body of the Run Command action for one guest script (<c>{"commandId": "...", "script": ["line", ...]}</c>, the
/// REST shape of <c>RunCommandInput</c>), serialized once and shared by every request. The typed SDK call serializes
/// the script again into each request, and a request waiting for its rate-limit turn holds that copy: with thousands
/// of checks waiting, the copies of the same 9 KB script were half of a scan's memory.
/// </summary>
internal static class RunCommandBody
{
    private static readonly ConditionalWeakTable<GuestScript, BinaryData> _bodies = [];

    /// <summary>The shared, read-only body for <paramref name="script"/>.</summary>
    public static BinaryData For(GuestScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return _bodies.GetValue(script, Serialize);
    }

    private static BinaryData Serialize(GuestScript script)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("commandId", script.CommandId);
            writer.WriteStartArray("script");
            foreach (var line in script.Lines)
            {
                writer.WriteStringValue(line);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return new BinaryData(stream.ToArray());
    }
}
