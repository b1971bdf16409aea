using System.Security.Cryptography;
using System.Text;

namespace Compliance.Core.Notifications;

/// <summary>
/// Deterministic notification ids: the same transition always gets the same id, so a copy delivered again after a
/// crash can be recognised by any consumer (CloudEvents consumers de-duplicate on <c>id</c>).
/// </summary>
public static class NotificationIds
{
    /// <summary>A GUID-shaped id derived from the parts that identify a transition.</summary>
    public static string Create(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts)));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}
