using System.Security.Cryptography;
using System.Text;

namespace Compliance.Emulator.Arm;

/// <summary>
/// GUIDs derived from a resource id, so that a resource keeps its vmId or uniqueId across
/// restarts of the emulator and across emulators serving the same fleet.
/// </summary>
internal static class StableGuid
{
    public static Guid From(string purpose, string resourceId)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}:{resourceId.ToUpperInvariant()}"));
        var guid = bytes.AsSpan(0, 16).ToArray();

        // Mark it as an RFC 9562 version 8 (custom) GUID so it reads as well-formed.
        guid[7] = (byte)((guid[7] & 0x0F) | 0x80);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid);
    }
}
