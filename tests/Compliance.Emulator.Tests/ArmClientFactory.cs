using System.Security.Cryptography;
using Azure.Core.Pipeline;
using Azure.ResourceManager;

namespace Compliance.Emulator.Tests;

/// <summary>
/// Builds real <see cref="ArmClient"/>s pointed at an emulator, trusting exactly its certificate.
/// </summary>
internal static class ArmClientFactory
{
    public static ArmClient Create(ArmEmulator emulator, int? maxRetries = null, string? token = null)
    {
        var options = new ArmClientOptions
        {
            Environment = new ArmEnvironment(emulator.Endpoint, "https://management.azure.com/"),
            Transport = new HttpClientTransport(PinnedHandler(emulator)),
        };
        if (maxRetries is { } retries)
        {
            options.Retry.MaxRetries = retries;
        }

        return new ArmClient(new EmulatorTokenCredential(token ?? emulator.AccessToken), defaultSubscriptionId: null, options);
    }

    public static HttpClientHandler PinnedHandler(ArmEmulator emulator)
    {
        var pinned = emulator.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == pinned,
        };
    }
}
