using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Azure.ResourceManager;

/// <summary>
/// An HTTP handler that trusts exactly one server certificate, compared by the SHA-256 of its DER encoding. The
/// loopback emulator presents a self-signed certificate made at its start; this is the only trust the client extends
/// to it, instead of accepting any certificate.
/// </summary>
public static class PinnedCertificateHandler
{
    /// <summary>Creates a handler that accepts only <paramref name="certificate"/>.</summary>
    public static HttpClientHandler Create(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var pinned = SHA256.HashData(certificate.RawData);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) =>
                presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(presented.RawData), pinned),
        };
    }
}
