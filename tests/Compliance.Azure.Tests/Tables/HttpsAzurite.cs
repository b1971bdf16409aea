using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Azure.Core.Pipeline;
using Compliance.Azure.ResourceManager;
using Azure.Data.Tables;
using Compliance.Emulator.Azurite;

namespace Compliance.Azure.Tests.Tables;

/// <summary>
/// An Azurite of its own serving HTTPS with a self-signed certificate made here (PEM files in a temp folder) and accepting
/// bearer tokens (<c>--oauth basic</c>); clients trust exactly that certificate.
/// </summary>
internal sealed class HttpsAzurite : IAsyncDisposable
{
    private readonly DirectoryInfo _folder;

    private HttpsAzurite(AzuriteProcess process, X509Certificate2 certificate, DirectoryInfo folder)
    {
        Process = process;
        Certificate = certificate;
        _folder = folder;
    }

    public AzuriteProcess Process { get; }

    public X509Certificate2 Certificate { get; }

    public static async Task<HttpsAzurite> StartAsync()
    {
        var folder = Directory.CreateTempSubdirectory("azurite-https-");
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Azurite test", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
            var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certificatePath = Path.Combine(folder.FullName, "cert.pem");
            var keyPath = Path.Combine(folder.FullName, "key.pem");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            var process = await AzuriteProcess.StartAsync(new AzuriteOptions { CertificatePath = certificatePath, KeyPath = keyPath, OAuth = true });
            return new HttpsAzurite(process, certificate, folder);
        }
        catch
        {
            folder.Delete(recursive: true);
            throw;
        }
    }

    public TableClientOptions ClientOptions() => new() { Transport = new HttpClientTransport(PinnedCertificateHandler.Create(Certificate)) };

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        Certificate.Dispose();
        _folder.Delete(recursive: true);
    }
}
