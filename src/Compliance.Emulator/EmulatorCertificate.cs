using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Compliance.Emulator;

/// <summary>
/// The emulator's TLS certificate: self-signed for 127.0.0.1 and localhost, made fresh at each
/// start, so that clients can pin it instead of trusting anything.
/// </summary>
internal static class EmulatorCertificate
{
    private const string ServerAuthentication = "1.3.6.1.5.5.7.3.1";

    public static X509Certificate2 Create()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Compliance ARM emulator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthentication)], false));

        // TLS validity is about the wall clock, not the emulator's (possibly fake) TimeProvider.
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        using var created = request.CreateSelfSigned(notBefore, notBefore.AddDays(7));

        // On Linux, Kestrel can only use the private key of a certificate loaded from PKCS#12.
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pkcs12), null);
    }
}
